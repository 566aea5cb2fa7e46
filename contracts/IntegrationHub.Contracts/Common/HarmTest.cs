using System.Text.Json.Serialization;

namespace IntegrationHub.Contracts.Common;

/// <summary>The national LADO harm test: any one limb met means the LADO must be consulted.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HarmTest>))]
public enum HarmTest
{
    /// <summary>Harmed or may have harmed a child.</summary>
    HarmedChild,
    /// <summary>Possibly committed a criminal offence against or related to a child.</summary>
    PossibleOffenceAgainstChild,
    /// <summary>Behaved in a way that indicates they may pose a risk of harm to children.</summary>
    BehaviourIndicatingRiskOfHarm,
    /// <summary>Behaved in a way that indicates they may not be suitable to work with children.</summary>
    UnsuitableToWorkWithChildren,
}
