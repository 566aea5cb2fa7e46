using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Sharing;

namespace IntegrationHub.Contracts.MissingEpisodes;

/// <summary>
/// What a recipient receives when a child is reported missing and the protocol names it (MIS-05: the missing
/// coordinator and MARP for a child at known CSE risk). The child is cut to what the recipient may see: identity and
/// the CSE flag for the coordinator; only the pseudonymous key for MARP.
/// </summary>
public sealed record ChildMissingShared
{
    /// <summary>Stable id of this delivery (the same for a redelivery of it).</summary>
    public required Guid DeliveryId { get; init; }
    /// <summary>The hub's tracking id of the missing report.</summary>
    public required Guid TrackingId { get; init; }
    /// <summary>The hub's id of the missing episode.</summary>
    public required Guid EpisodeId { get; init; }
    /// <summary>Who this copy is for.</summary>
    public required Recipient Recipient { get; init; }
    /// <summary>How fast to act.</summary>
    public required Priority Priority { get; init; }
    /// <summary>Why this recipient is told.</summary>
    public required string Purpose { get; init; }
    /// <summary>A pseudonymous key for the child, stable across messages about the same child.</summary>
    public string? ChildKey { get; init; }
    /// <summary>The child's identity, for recipients allowed to see it (never MARP).</summary>
    public ChildDetails? Child { get; init; }
    /// <summary>Missing from home or care.</summary>
    public MissingFrom MissingFrom { get; init; }
    /// <summary>When the child was last seen.</summary>
    public DateTimeOffset? LastSeenAt { get; init; }
    /// <summary>The police risk grade.</summary>
    public PoliceRiskGrade RiskGrade { get; init; }
    /// <summary>The child is known to be at risk of sexual exploitation.</summary>
    public bool KnownCseRisk { get; init; }
    /// <summary>The rules that applied.</summary>
    public IReadOnlyList<RuleFired> RulesFired { get; init; } = [];
}
