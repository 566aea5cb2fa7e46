using IntegrationHub.Contracts.Common;

namespace IntegrationHub.Contracts.Sharing;

/// <summary>
/// Tells the agency that sent a message (queue <c>agency.&lt;agency&gt;.feedback</c>) that a hub supervisor opened its
/// content, who did, when and why. Sent for every opening; the opening is also in the hub's audit log.
/// </summary>
public sealed record RecordOpened
{
    /// <summary>Stable id of this notification.</summary>
    public required Guid NotificationId { get; init; }
    /// <summary>The tracking id of the message that was opened.</summary>
    public required Guid TrackingId { get; init; }
    /// <summary>The agency that sent the message.</summary>
    public required Agency Agency { get; init; }
    /// <summary>When it was opened.</summary>
    public required DateTimeOffset OpenedAt { get; init; }
    /// <summary>The supervisor's user name at the hub.</summary>
    public required string OpenedBy { get; init; }
    /// <summary>The reason the supervisor gave.</summary>
    public required string Reason { get; init; }
}
