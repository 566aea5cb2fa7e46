using IntegrationHub.Contracts.Common;

namespace IntegrationHub.Contracts.Deadlines;

/// <summary>
/// A deadline has passed without its step being done (MIS-04 for a return interview; one working day for a MASH
/// decision or a LADO referral). Sent once per escalation level: level 1 to the responsible worker when the deadline
/// falls due, level 2 to the MASH manager after a grace period.
/// </summary>
public sealed record DeadlineOverdue
{
    /// <summary>Stable id of this delivery (the same for a redelivery of it).</summary>
    public required Guid DeliveryId { get; init; }
    /// <summary>The hub's id of the deadline.</summary>
    public required Guid DeadlineId { get; init; }
    /// <summary>The hub's tracking id of the message that started the clock.</summary>
    public required Guid TrackingId { get; init; }
    /// <summary><c>ReturnInterview</c>, <c>MashDecision</c> or <c>LadoReferral</c>.</summary>
    public required string Kind { get; init; }
    /// <summary>The missing episode, for a return interview.</summary>
    public Guid? EpisodeId { get; init; }
    /// <summary>A pseudonymous key for the child.</summary>
    public string? ChildKey { get; init; }
    /// <summary>When it was due.</summary>
    public required DateTimeOffset DueAt { get; init; }
    /// <summary>1 for the first escalation, 2 for the second.</summary>
    public required int EscalationLevel { get; init; }
    /// <summary>Who is told at this level, e.g. <c>SocialWorker</c>, <c>Lado</c>, <c>MashManager</c>.</summary>
    public required string EscalatedTo { get; init; }
    /// <summary>The recipient whose queue carries it.</summary>
    public required Recipient Recipient { get; init; }
    /// <summary>When the hub escalated.</summary>
    public required DateTimeOffset EscalatedAt { get; init; }
    /// <summary>The rule that set the deadline (e.g. <c>MIS-02</c>) and the one that escalates (<c>MIS-04</c>).</summary>
    public IReadOnlyList<string> RuleIds { get; init; } = [];
    /// <summary>Why, in plain English.</summary>
    public required string Reason { get; init; }
}
