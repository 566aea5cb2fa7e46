using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Sharing;

namespace IntegrationHub.Protocol.Rules;

/// <summary>U13-01: sexual activity with a child under 13 is a serious offence: MASH must be told and a strategy discussion held.</summary>
public sealed class ChildUnder13SexualActivity : IProtocolRule
{
    public string Id => "U13-01";
    public string Section => "9.2, 9.5";
    public IReadOnlyList<string> SpeaksOf => ["sexualActivity"];

    public void Apply(ConcernFacts facts, DecisionBuilder decision)
    {
        if (!facts.HasSexualActivity || !facts.AgeAtActivityIn(0, facts.Options.AgeOfConsentBoundaryUnder13)) return;
        var age = facts.ChildAgeAtActivity;
        var penetrative = facts.Concern.SexualActivity?.Penetrative == true;

        decision.Fire(this, penetrative
                ? $"The child was {age} and the activity was penetrative: in law this is rape of a child under 13, and significant harm is presumed. MASH must be told and a strategy discussion held."
                : $"The child was {age}: a child under 13 cannot consent to sexual activity, so significant harm is presumed. MASH must be told and a strategy discussion held.")
            .Notify(Recipient.Mash, Priority.SameWorkingDay, "Sexual activity with a child under 13: referral and strategy discussion.", Id)
            .Act(ActionKinds.StrategyDiscussion, Owners.MashWithPolice, "A child under 13 in sexual activity: agree next steps with police and children's social care.", Id)
            .Due(DeadlineKinds.MashDecision, facts.DecisionDue, Owners.Mash, Id)
            .Flag(ProtocolFlags.SignificantHarmPresumed);
        if (penetrative) decision.Flag(ProtocolFlags.RapeOfChildUnder13);

        var child = facts.Concern.Child;
        var identified = !string.IsNullOrWhiteSpace(child.NhsNumber) || !string.IsNullOrWhiteSpace(child.LocalChildId)
            || (!string.IsNullOrWhiteSpace(child.FamilyName) && child.DateOfBirth is not null);
        if (!identified)
            decision.Warn("U13-01.child-not-identified",
                "A child under 13 must be identified for the strategy discussion: send the NHS number, the local child id, or the name and date of birth.", "child");
        if (facts.Concern.PersonsOfConcern.Count == 0)
            decision.Warn("U13-01.perpetrator-not-identified",
                "Name the alleged perpetrator if known: the strategy discussion needs them identified (handbook 9.5).", "personsOfConcern");
    }
}
