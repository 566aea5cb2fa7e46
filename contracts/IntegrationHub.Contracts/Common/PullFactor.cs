using System.Text.Json.Serialization;

namespace IntegrationHub.Contracts.Common;

/// <summary>Grooming techniques that pull a child in (handbook section 6).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PullFactor>))]
public enum PullFactor
{
    /// <summary>Being liked by someone older.</summary>
    LikedBySomeoneOlder,
    /// <summary>A stranger asks for their mobile number.</summary>
    AskedForNumberByStranger,
    /// <summary>Meeting someone online who thinks they are special.</summary>
    MetSomeoneOnline,
    /// <summary>Receiving alcohol, drugs, money or gifts.</summary>
    GivenAlcoholDrugsMoneyOrGifts,
    /// <summary>The buzz of risk-taking or forbidden behaviour.</summary>
    ExcitementOfRisk,
    /// <summary>Offered somewhere to stay with no rules.</summary>
    OfferedPlaceToStay,
    /// <summary>Taken to adult venues, red-light areas or public sex environments.</summary>
    TakenToAdultVenues,
    /// <summary>Given lifts, taken to new places by casual acquaintances.</summary>
    GivenLiftsAndTakenPlaces,
}
