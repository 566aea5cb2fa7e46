using IntegrationHub.Contracts.Common;

namespace IntegrationHub.Contracts.Sharing;

/// <summary>The hub accepted and recorded a decision not to share.</summary>
public sealed record DecisionNotToShareRecorded
{
    /// <summary>The hub's tracking id for this record.</summary>
    public required Guid TrackingId { get; init; }
    /// <summary>The agency that decided, from its credentials.</summary>
    public required Agency Agency { get; init; }
    /// <summary>When the hub received it.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }
    /// <summary>The record.</summary>
    public required DecisionNotToShare Record { get; init; }
}
