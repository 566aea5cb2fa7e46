using IntegrationHub.Contracts.Sharing;

namespace IntegrationHub.Protocol.MissingEpisodes;

/// <summary>What the protocol asks for when a child returns: the interview, its clock, its triggers, and the decision that explains it.</summary>
public sealed record ReturnInterviewPlan(
    DateTimeOffset DueAt,
    bool Mandatory,
    bool Priority,
    bool StrategyDiscussion,
    IReadOnlyList<string> Triggers,
    string RuleId,
    RoutingDecision Decision);

/// <summary>The 14.1 triggers that make a return interview a priority.</summary>
public static class ReturnInterviewTriggers
{
    public const string MissingOver24Hours = "MissingOver24Hours";
    public const string CrimeSuspected = "CrimeSuspected";
    public const string Harmed = "Harmed";
    public const string MentalHealthConcern = "MentalHealthConcern";
    public const string LearningDisability = "LearningDisability";
    public const string KnownCseRisk = "KnownCseRisk";
    public const string ContactWithRiskyPeople = "ContactWithRiskyPeople";
}
