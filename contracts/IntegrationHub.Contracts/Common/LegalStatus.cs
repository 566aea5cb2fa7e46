using System.Text.Json.Serialization;

namespace IntegrationHub.Contracts.Common;

/// <summary>The child's status under the Children Act 1989, which changes who must be told.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LegalStatus>))]
public enum LegalStatus
{
    /// <summary>The sender does not know.</summary>
    NotKnown,
    /// <summary>No statutory involvement known.</summary>
    None,
    /// <summary>Child in need (s17).</summary>
    ChildInNeed,
    /// <summary>Subject of a child protection plan (s47).</summary>
    ChildProtectionPlan,
    /// <summary>Looked after by the local authority (s20 or s31).</summary>
    LookedAfter,
    /// <summary>A care leaver (up to 25, with a personal adviser).</summary>
    CareLeaver,
}
