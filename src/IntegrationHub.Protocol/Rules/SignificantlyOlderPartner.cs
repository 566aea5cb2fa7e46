using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Sharing;

namespace IntegrationHub.Protocol.Rules;

/// <summary>
/// Y16-01: a 16- or 17-year-old with a significantly older partner (handbook example 17+33) is treated as Y13-01.
/// The significant age imbalance is itself a 9.3 factor, so, as for Y13-01 with a factor, MASH is told and a
/// strategy discussion held; the sender still assesses.
/// </summary>
public sealed class SignificantlyOlderPartner : IProtocolRule
{
    public string Id => "Y16-01";
    public string Section => "9.1, 9.2";
    public IReadOnlyList<string> SpeaksOf => ["sexualActivity"];

    public void Apply(ConcernFacts facts, DecisionBuilder decision)
    {
        var o = facts.Options;
        if (!facts.HasSexualActivity || !facts.AgeAtActivityIn(o.AgeOfConsent, o.AdultAge)) return;
        if (facts.AgeGap is not int gap || gap < o.SignificantAgeGapYears) return;

        decision.Fire(this, $"The child was {facts.ChildAgeAtActivity} and the other person {facts.OtherPersonAge}, {gap} years older (significant is {o.SignificantAgeGapYears} or more): treated as sexual activity of a 13-15-year-old, and the age imbalance is a 9.3 factor, so MASH is told and a strategy discussion held.")
            .Act(ActionKinds.AssessmentBySender, Owners.Sender, "Assess the sexual activity against the 9.3 criteria and record the outcome.", Id)
            .Notify(Recipient.Mash, Priority.SameWorkingDay, "A 16-17-year-old with a significantly older partner.", Id)
            .Act(ActionKinds.StrategyDiscussion, Owners.MashWithPolice, "Significant age imbalance (9.3) for a 16-17-year-old.", Id)
            .Due(DeadlineKinds.MashDecision, facts.DecisionDue, Owners.Mash, Id);
    }
}
