using IntegrationHub.Contracts.Common;

namespace IntegrationHub.Contracts.Sharing;

/// <summary>
/// Feedback to the sending agency's named lead (queue <c>agency.&lt;agency&gt;.feedback</c>): a decision not to share
/// was rejected because the record was incomplete (REC-01, U13-02). The record is kept in quarantine.
/// </summary>
public sealed record DecisionNotToShareRejected
{
    /// <summary>Stable id of this notification.</summary>
    public required Guid NotificationId { get; init; }
    /// <summary>The quarantine id under which the rejected record is kept.</summary>
    public required Guid QuarantineId { get; init; }
    /// <summary>The agency that sent the record.</summary>
    public required Agency Agency { get; init; }
    /// <summary>When it was rejected.</summary>
    public required DateTimeOffset RejectedAt { get; init; }
    /// <summary>The agency's named lead, as given in the record.</summary>
    public NamedLead? NamedLead { get; init; }
    /// <summary>Every missing or invalid item.</summary>
    public IReadOnlyList<RecordProblem> Problems { get; init; } = [];
}

/// <summary>One missing or invalid item of a record.</summary>
/// <param name="Field">JSON path of the field.</param>
/// <param name="Message">What is needed.</param>
/// <param name="RuleId">The rule that asks for it.</param>
public sealed record RecordProblem(string Field, string Message, string RuleId);
