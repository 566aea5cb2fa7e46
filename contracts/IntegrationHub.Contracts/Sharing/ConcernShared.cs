using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Referrals;

namespace IntegrationHub.Contracts.Sharing;

/// <summary>
/// What one recipient receives on its queue: the concern cut down to the fields the decision released to it.
/// The <see cref="DeliveryId"/> is the same on every redelivery; de-duplicate on it.
/// </summary>
public sealed record ConcernShared
{
    /// <summary>Stable id of this delivery (the same for a redelivery of it).</summary>
    public required Guid DeliveryId { get; init; }
    /// <summary>The hub's tracking id of the concern.</summary>
    public required Guid TrackingId { get; init; }
    /// <summary>Who this copy is for.</summary>
    public required Recipient Recipient { get; init; }
    /// <summary>The agency that raised it.</summary>
    public required Agency Agency { get; init; }
    /// <summary>When the hub decided.</summary>
    public required DateTimeOffset DecidedAt { get; init; }
    /// <summary>How fast to act.</summary>
    public required Priority Priority { get; init; }
    /// <summary>Why this recipient is told.</summary>
    public required string Purpose { get; init; }
    /// <summary>The protocol version that decided.</summary>
    public required string ProtocolVersion { get; init; }
    /// <summary>A pseudonymous key for the child, stable across messages about the same child.</summary>
    public string? ChildKey { get; init; }
    /// <summary>The rules that applied.</summary>
    public IReadOnlyList<RuleFired> RulesFired { get; init; } = [];
    /// <summary>Actions asked of people.</summary>
    public IReadOnlyList<RequiredAction> Actions { get; init; } = [];
    /// <summary>Clocks running.</summary>
    public IReadOnlyList<Deadline> Deadlines { get; init; } = [];
    /// <summary>Flags on the case.</summary>
    public IReadOnlyList<string> Flags { get; init; } = [];
    /// <summary>Fields held back from this recipient (JSON paths).</summary>
    public IReadOnlyList<string> FieldsWithheld { get; init; } = [];
    /// <summary>The concern with every withheld field removed.</summary>
    public required Concern Concern { get; init; }
}
