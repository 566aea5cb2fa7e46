using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Sharing;

namespace IntegrationHub.Contracts.MissingEpisodes;

/// <summary>
/// A child has returned and a return interview is owed (MIS-02: mandatory for a child missing from care; MIS-03:
/// offered to every other child), due within 72 hours of return. Sent to MASH, which owns it with the child's social worker.
/// </summary>
public sealed record ReturnInterviewRequested
{
    /// <summary>Stable id of this delivery (the same for a redelivery of it).</summary>
    public required Guid DeliveryId { get; init; }
    /// <summary>The hub's tracking id of the found report that started the clock.</summary>
    public required Guid TrackingId { get; init; }
    /// <summary>The hub's id of the missing episode.</summary>
    public required Guid EpisodeId { get; init; }
    /// <summary>The hub's id of the deadline (quote it when the interview is reported).</summary>
    public required Guid DeadlineId { get; init; }
    /// <summary>Who this copy is for.</summary>
    public required Recipient Recipient { get; init; }
    /// <summary>A pseudonymous key for the child.</summary>
    public string? ChildKey { get; init; }
    /// <summary>The child (MASH sees the full record).</summary>
    public required ChildDetails Child { get; init; }
    /// <summary>The police occurrence reference of the missing episode.</summary>
    public required string PoliceReference { get; init; }
    /// <summary>When the child was found or returned.</summary>
    public required DateTimeOffset ReturnedAt { get; init; }
    /// <summary>The interview must be done by then (72 hours after return by default).</summary>
    public required DateTimeOffset DueAt { get; init; }
    /// <summary>Mandatory (a child missing from care, MIS-02) rather than offered (MIS-03).</summary>
    public bool Mandatory { get; init; }
    /// <summary>Priority: a 14.1 trigger applies.</summary>
    public bool Priority { get; init; }
    /// <summary>A strategy discussion decides what happens next (harm or contact with risky people).</summary>
    public bool StrategyDiscussion { get; init; }
    /// <summary>The 14.1 triggers found, e.g. <c>MissingOver24Hours</c>, <c>CrimeSuspected</c>, <c>Harmed</c>.</summary>
    public IReadOnlyList<string> Triggers { get; init; } = [];
    /// <summary>Who owns the interview.</summary>
    public required string Owner { get; init; }
    /// <summary>The rules that applied.</summary>
    public IReadOnlyList<RuleFired> RulesFired { get; init; } = [];
}
