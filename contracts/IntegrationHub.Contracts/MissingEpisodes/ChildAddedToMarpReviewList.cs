using IntegrationHub.Contracts.Common;

namespace IntegrationHub.Contracts.MissingEpisodes;

/// <summary>
/// MIS-01: a child is regularly missing (by default 3 or more episodes in 90 days) and is on the MARP's review list
/// for the month. Sent once per child and month, to MARP only; the panel needs to know whom it reviews, so this is
/// the one MARP message that carries the child's identity.
/// </summary>
public sealed record ChildAddedToMarpReviewList
{
    /// <summary>Stable id of this delivery (the same for a redelivery of it).</summary>
    public required Guid DeliveryId { get; init; }
    /// <summary>The hub's tracking id of the missing report that put the child on the list.</summary>
    public required Guid TrackingId { get; init; }
    /// <summary>The review month, <c>YYYY-MM</c>.</summary>
    public required string Month { get; init; }
    /// <summary>A pseudonymous key for the child.</summary>
    public required string ChildKey { get; init; }
    /// <summary>The child's identity, for the panel.</summary>
    public ChildDetails? Child { get; init; }
    /// <summary>Episodes counted in the window.</summary>
    public required int EpisodeCount { get; init; }
    /// <summary>The window in days.</summary>
    public required int WindowDays { get; init; }
    /// <summary>When each counted episode started.</summary>
    public IReadOnlyList<DateTimeOffset> EpisodeStarts { get; init; } = [];
    /// <summary>The rule: <c>MIS-01</c>.</summary>
    public string RuleId { get; init; } = "MIS-01";
}
