namespace IntegrationHub.Persistence.Lifecycle;

/// <summary>The states of a missing episode (docs/lifecycle.md).</summary>
public enum EpisodeState
{
    Missing = 0,
    InterviewRequested = 1,
    InterviewOverdue = 2,
    InterviewCompleted = 3,
    InterviewDeclined = 4,
    ChildNotLocated = 5,
}

/// <summary>One missing episode: reported, returned, its return interview and that interview's clock.</summary>
public sealed class MissingEpisodeRecord
{
    public Guid Id { get; set; }
    /// <summary>The police occurrence reference that links the found report and the interview to the missing report.</summary>
    public required string PoliceReference { get; set; }
    public string? ChildKey { get; set; }
    public EpisodeState State { get; set; }
    public bool MissingFromCare { get; set; }
    public bool KnownCseRisk { get; set; }
    public DateTimeOffset? ReportedAt { get; set; }
    /// <summary>Last seen, else reported: what MIS-01 counts.</summary>
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? ReturnedAt { get; set; }
    public Guid? InterviewDeadlineId { get; set; }
    public DateTimeOffset? InterviewDueAt { get; set; }
    public bool InterviewMandatory { get; set; }
    public bool InterviewPriority { get; set; }
    public bool StrategyDiscussion { get; set; }
    /// <summary>Space-separated 14.1 triggers.</summary>
    public string Triggers { get; set; } = "";
    public DateTimeOffset? InterviewCompletedAt { get; set; }
    public bool? InterviewLate { get; set; }
    /// <summary>Optimistic concurrency: two messages about one episode never overwrite each other.</summary>
    public int Version { get; set; }
}

/// <summary>One step in an episode's history (no personal data: events, times, ids, rule ids).</summary>
public sealed class MissingEpisodeEvent
{
    public long Id { get; set; }
    public Guid EpisodeId { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Event { get; set; }
    public required string Detail { get; set; }
    public Guid? TrackingId { get; set; }
}

public enum DeadlineState
{
    Open = 0,
    Overdue = 1,
    Met = 2,
}

/// <summary>
/// A clock: a return interview (72 hours), a MASH decision or a LADO referral (one working day). The database is the
/// scheduler: the sweeper finds rows whose next escalation is due and claims each escalation by a conditional update.
/// </summary>
public sealed class DeadlineRecord
{
    public Guid Id { get; set; }
    public required string Kind { get; set; }
    /// <summary>The message that started the clock.</summary>
    public Guid TrackingId { get; set; }
    public Guid? EpisodeId { get; set; }
    public string? ChildKey { get; set; }
    public required string Owner { get; set; }
    public required string RuleId { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset DueAt { get; set; }
    public DeadlineState State { get; set; }
    /// <summary>Escalations made so far (0, 1 or 2).</summary>
    public int EscalationLevel { get; set; }
    /// <summary>When the next escalation is owed; null once the deadline is met or fully escalated.</summary>
    public DateTimeOffset? NextEscalationAt { get; set; }
    public DateTimeOffset? MetAt { get; set; }
}

/// <summary>One escalation of one deadline. The key (deadline, level) makes a second copy impossible.</summary>
public sealed class DeadlineEscalationRecord
{
    public Guid DeadlineId { get; set; }
    public int Level { get; set; }
    public DateTimeOffset At { get; set; }
    public required string EscalatedTo { get; set; }
    public Guid DeliveryId { get; set; }
    /// <summary>Which hub instance claimed it (machine and process), for operations.</summary>
    public required string ClaimedBy { get; set; }
}

/// <summary>A child on the MARP's monthly review list (MIS-01), once per child and month.</summary>
public sealed class MarpReviewEntry
{
    public long Id { get; set; }
    public required string ChildKey { get; set; }
    /// <summary><c>YYYY-MM</c>.</summary>
    public required string Month { get; set; }
    public DateTimeOffset AddedAt { get; set; }
    public int EpisodeCount { get; set; }
    public Guid TrackingId { get; set; }
    /// <summary>The child's identity as JSON, for the MARP only: personal data, never logged, never shown to operators.</summary>
    public required string ChildIdentity { get; set; }
}

/// <summary>A message named a key about a child: the pattern index (PAT-01).</summary>
public sealed class PatternMention
{
    public long Id { get; set; }
    public required string KeyKind { get; set; }
    public required string Key { get; set; }
    public required string ChildKey { get; set; }
    public Guid TrackingId { get; set; }
    public required string Agency { get; set; }
    public DateTimeOffset At { get; set; }
}

/// <summary>
/// One indexed key: its head row, touched by every message that names it (so concurrent messages about one key are
/// serialised by <see cref="Version"/>), and, once alerted, the children the alert names.
/// </summary>
public sealed class PatternRecord
{
    public Guid Id { get; set; }
    public required string KeyKind { get; set; }
    public required string Key { get; set; }
    /// <summary>Space-separated child keys the alert names; empty until PAT-01 fires.</summary>
    public string ChildKeys { get; set; } = "";
    /// <summary>Space-separated agencies that named the key in the window.</summary>
    public string Agencies { get; set; } = "";
    public DateTimeOffset FirstSeen { get; set; }
    public DateTimeOffset LastSeen { get; set; }
    public DateTimeOffset? DetectedAt { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
    /// <summary>Alert revision: 0 before detection, 1 when detected, +1 per update.</summary>
    public int Revision { get; set; }
    public int Version { get; set; }
}
