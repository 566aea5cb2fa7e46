using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Sharing;

namespace IntegrationHub.Protocol.Rules;

/// <summary>Y13-01: sexual activity with a child of 13 to 15 is assessed by the sender against the 9.3 criteria; any factor means MASH and a strategy discussion.</summary>
public sealed class UnderageSexualActivity : IProtocolRule
{
    public string Id => "Y13-01";
    public string Section => "9.2, 9.3";
    public IReadOnlyList<string> SpeaksOf => ["sexualActivity", "assessmentFactors"];

    public void Apply(ConcernFacts facts, DecisionBuilder decision)
    {
        var o = facts.Options;
        if (!facts.HasSexualActivity || !facts.AgeAtActivityIn(o.AgeOfConsentBoundaryUnder13, o.AgeOfConsent)) return;
        var age = facts.ChildAgeAtActivity;
        var factors = facts.Concern.AssessmentFactors.Count;

        decision.Act(ActionKinds.AssessmentBySender, Owners.Sender,
            "Assess the sexual activity against the 9.3 criteria and record the outcome; if a 9.3 factor applies and you decide not to refer, record the decision not to share (REC-01).", Id);
        if (factors == 0)
        {
            decision.Fire(this, $"The child was {age} and sexual activity is described, with no 9.3 factor given: the sender assesses it against the 9.3 criteria and records the outcome.");
            return;
        }
        decision.Fire(this, $"The child was {age}, sexual activity is described and {factors} 9.3 factor(s) apply: MASH must be told and a strategy discussion held.")
            .Notify(Recipient.Mash, Priority.SameWorkingDay, "Sexual activity with a child of 13 to 15 with 9.3 factors: referral and strategy discussion.", Id)
            .Act(ActionKinds.StrategyDiscussion, Owners.MashWithPolice, "9.3 factors apply to a child of 13 to 15 in sexual activity.", Id)
            .Due(DeadlineKinds.MashDecision, facts.DecisionDue, Owners.Mash, Id);
    }
}
