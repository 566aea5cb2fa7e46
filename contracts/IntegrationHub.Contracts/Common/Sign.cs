using System.Text.Json.Serialization;

namespace IntegrationHub.Contracts.Common;

/// <summary>Signs and indicators of sexual exploitation (handbook section 5).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Sign>))]
public enum Sign
{
    /// <summary>Involved in abusive relationships, intimidated and fearful of certain people or situations.</summary>
    AbusiveRelationships,
    /// <summary>Sexual activity under 16: sexualised or sexually risky behaviour, swapping sex, repeat STIs, pregnancy.</summary>
    SexualActivityUnder16,
    /// <summary>Hanging out with groups of older people, antisocial groups or other vulnerable peers.</summary>
    OlderOrAntisocialGroups,
    /// <summary>Unexplained gifts, unaffordable new things or expensive habits.</summary>
    UnexplainedGifts,
    /// <summary>Multiple mobile phones; worried about losing contact.</summary>
    MultiplePhones,
    /// <summary>Going to hotels or other unusual locations to meet friends.</summary>
    HotelsOrUnusualLocations,
    /// <summary>Seen at known places of concern such as hotels or brothels.</summary>
    PlacesOfConcern,
    /// <summary>Moving around the country, appearing in new towns, not knowing where they are.</summary>
    MovingAroundCountry,
    /// <summary>Getting in and out of different cars driven by unknown adults.</summary>
    CarsWithUnknownAdults,
    /// <summary>Having an older partner.</summary>
    OlderBoyfriendOrGirlfriend,
    /// <summary>Contact with known perpetrators.</summary>
    ContactWithKnownPerpetrators,
    /// <summary>Associating with other children involved in exploitation.</summary>
    AssociatingWithExploitedChildren,
    /// <summary>Recruiting other children to exploitative situations.</summary>
    RecruitingOtherChildren,
    /// <summary>Truancy, exclusion, disengagement from school.</summary>
    DisengagedFromEducation,
    /// <summary>Unexplained changes in behaviour or personality.</summary>
    BehaviourChange,
    /// <summary>Self-harm, suicidal thoughts or attempts, overdosing, eating disorders.</summary>
    SelfHarm,
    /// <summary>Drug or alcohol misuse.</summary>
    SubstanceMisuse,
    /// <summary>Police involvement or records.</summary>
    PoliceInvolvement,
    /// <summary>Involved in gangs.</summary>
    GangInvolvement,
    /// <summary>Injuries from physical or sexual assault or restraint.</summary>
    Injuries,
}
