namespace IntegrationHub.Contracts.Sharing;

/// <summary>Something a person must do because of the decision.</summary>
/// <param name="Kind">What: e.g. <c>StrategyDiscussion</c>, <c>AssessmentBySender</c>, <c>ReturnInterview</c>, <c>LadoConsultation</c>, <c>SeniorManagerApproval</c>.</param>
/// <param name="Owner">Who must do it, e.g. "MASH with police", "sender's safeguarding lead".</param>
/// <param name="Reason">Why.</param>
/// <param name="RuleId">The rule that asks for it.</param>
public sealed record RequiredAction(string Kind, string Owner, string Reason, string RuleId);
