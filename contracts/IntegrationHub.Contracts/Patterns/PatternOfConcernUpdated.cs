using IntegrationHub.Contracts.Common;

namespace IntegrationHub.Contracts.Patterns;

/// <summary>PAT-01: another child has joined a pattern of concern already alerted: the alert is updated, not repeated. Sent to MARP and the police.</summary>
public sealed record PatternOfConcernUpdated
{
    /// <summary>Stable id of this delivery (the same for a redelivery of it).</summary>
    public required Guid DeliveryId { get; init; }
    /// <summary>The hub's id of the pattern; stays the same when it is updated.</summary>
    public required Guid PatternId { get; init; }
    /// <summary>Increases by one with every update.</summary>
    public required int Revision { get; init; }
    /// <summary>Who this copy is for.</summary>
    public required Recipient Recipient { get; init; }
    /// <summary>What links the children: <c>Person</c>, <c>Alias</c>, <c>Postcode</c>, <c>Place</c>, <c>Uprn</c>, <c>Vehicle</c>, <c>Phone</c> or <c>Handle</c>.</summary>
    public required string KeyKind { get; init; }
    /// <summary>The normalised key (a VRM without spaces, a phone in E.164, a postcode in standard form, NAME|date of birth).</summary>
    public required string Key { get; init; }
    /// <summary>Pseudonymous keys of the children linked within the window.</summary>
    public required IReadOnlyList<string> ChildKeys { get; init; }
    /// <summary>The children who joined since the last alert.</summary>
    public IReadOnlyList<string> NewChildKeys { get; init; } = [];
    /// <summary>The agencies whose messages named the key.</summary>
    public IReadOnlyList<Agency> Agencies { get; init; } = [];
    /// <summary>The hub's tracking ids of the messages that named it.</summary>
    public IReadOnlyList<Guid> TrackingIds { get; init; } = [];
    /// <summary>First time the key was seen in the window.</summary>
    public required DateTimeOffset FirstSeen { get; init; }
    /// <summary>Last time the key was seen.</summary>
    public required DateTimeOffset LastSeen { get; init; }
    /// <summary>The rule: <c>PAT-01</c>.</summary>
    public string RuleId { get; init; } = "PAT-01";
}
