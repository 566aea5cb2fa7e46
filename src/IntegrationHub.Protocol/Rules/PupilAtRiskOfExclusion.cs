using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Sharing;

namespace IntegrationHub.Protocol.Rules;

/// <summary>SCR-03: a secondary-school pupil at risk of exclusion with a CSE concern: screening required and an early referral to MASH.</summary>
public sealed class PupilAtRiskOfExclusion : IProtocolRule
{
    public string Id => "SCR-03";
    public string Section => "10.6.4";
    public IReadOnlyList<string> SpeaksOf => ["atRiskOfExclusion", "schoolPhase"];

    public void Apply(ConcernFacts facts, DecisionBuilder decision)
    {
        var c = facts.Concern;
        if (!c.AtRiskOfExclusion || c.SchoolPhase != SchoolPhase.Secondary) return;
        decision.Fire(this, "A secondary-school pupil with a CSE concern is at risk of exclusion: the screening tool must be completed and MASH told early; exclusion needs careful thought about the child's safety.")
            .Notify(Recipient.Mash, Priority.SameWorkingDay, "Early referral: a pupil at risk of exclusion with a CSE concern.", Id)
            .Due(DeadlineKinds.MashDecision, facts.DecisionDue, Owners.Mash, Id);
        if (c.Screening is null)
            decision.Act(ActionKinds.ScreeningRequired, Owners.Sender, "Complete the CSE screening tool before any decision to exclude.", Id)
                .Warn("SCR-03.screening-required", "Complete the CSE screening tool for this pupil and send it to MASH.", "screening");
    }
}
