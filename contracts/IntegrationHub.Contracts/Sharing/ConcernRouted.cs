using IntegrationHub.Contracts.Common;

namespace IntegrationHub.Contracts.Sharing;

/// <summary>The hub decided where a message goes and recorded why; published after the decision is committed.</summary>
public sealed record ConcernRouted
{
    /// <summary>The tracking id of the message decided.</summary>
    public required Guid TrackingId { get; init; }
    /// <summary>The sending agency.</summary>
    public required Agency Agency { get; init; }
    /// <summary>When the decision was made.</summary>
    public required DateTimeOffset DecidedAt { get; init; }
    /// <summary>The decision.</summary>
    public required RoutingDecision Decision { get; init; }
}
