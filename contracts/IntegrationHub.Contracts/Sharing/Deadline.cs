namespace IntegrationHub.Contracts.Sharing;

/// <summary>A clock the hub runs for a decision.</summary>
/// <param name="Kind">What is due: e.g. <c>MashDecision</c>, <c>LadoReferral</c>, <c>ReturnInterview</c>.</param>
/// <param name="DueAt">When it falls due.</param>
/// <param name="Owner">Who must meet it.</param>
/// <param name="RuleId">The rule that set it.</param>
public sealed record Deadline(string Kind, DateTimeOffset DueAt, string Owner, string RuleId);
