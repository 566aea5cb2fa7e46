using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Sharing;

namespace IntegrationHub.Protocol.Rules;

/// <summary>Y13-02: a child of 13 to 15 with an adult partner or a considerable age gap (handbook examples 13+17, 15+21) is always referred to MASH.</summary>
public sealed class ConsiderableAgeGap : IProtocolRule
{
    public string Id => "Y13-02";
    public string Section => "9.2";
    public IReadOnlyList<string> SpeaksOf => ["sexualActivity"];

    public void Apply(ConcernFacts facts, DecisionBuilder decision)
    {
        var o = facts.Options;
        if (!facts.HasSexualActivity || !facts.AgeAtActivityIn(o.AgeOfConsentBoundaryUnder13, o.AgeOfConsent)) return;
        if (facts.OtherPersonAge is not int other) return;
        var adult = other >= o.AdultAge;
        var considerable = facts.AgeGap >= o.ConsiderableAgeGapYears;
        if (!adult && !considerable) return;

        var why = adult
            ? $"the other person is {other}, an adult"
            : $"the other person is {other}, {facts.AgeGap} years older (a considerable gap is {o.ConsiderableAgeGapYears} or more)";
        decision.Fire(this, $"The child was {facts.ChildAgeAtActivity} and {why}: the handbook says such cases are always referred to MASH.")
            .Notify(Recipient.Mash, Priority.SameWorkingDay, "Sexual activity with a child of 13 to 15 and a considerable age gap.", Id)
            .Due(DeadlineKinds.MashDecision, facts.DecisionDue, Owners.Mash, Id);
    }
}
