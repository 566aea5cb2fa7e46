using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Sharing;

namespace IntegrationHub.Protocol.Rules;

/// <summary>F93-01: for a child of 13 to 17, any 9.3 factor (age alone is not one) means MASH must be told and a strategy discussion held.</summary>
/// <remarks>When the child's age is unknown the rule still applies: the hub assumes a child rather than risk missing one.</remarks>
public sealed class AssessmentFactorPresent : IProtocolRule
{
    public string Id => "F93-01";
    public string Section => "9.5";
    public IReadOnlyList<string> SpeaksOf => ["assessmentFactors"];

    public void Apply(ConcernFacts facts, DecisionBuilder decision)
    {
        if (!facts.HasAssessmentFactor) return;
        var o = facts.Options;
        var age = facts.ChildAgeAtActivity;
        if (age is int a && (a < o.AgeOfConsentBoundaryUnder13 || a >= o.AdultAge)) return;

        var factors = facts.Concern.AssessmentFactors;
        var first = factors[0].ToString();
        var ageText = age is null ? "of unknown age (assumed 13 to 17)" : $"aged {age}";
        decision.Fire(this, $"The child is {ageText} and {factors.Count} 9.3 factor(s) apply (e.g. {first}): a referral to MASH must be made and a strategy discussion held.")
            .Notify(Recipient.Mash, Priority.SameWorkingDay, "9.3 assessment factors apply: referral and strategy discussion.", Id)
            .Act(ActionKinds.StrategyDiscussion, Owners.MashWithPolice, "9.3 assessment factors apply.", Id)
            .Due(DeadlineKinds.MashDecision, facts.DecisionDue, Owners.Mash, Id);
    }
}
