using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Sharing;

namespace IntegrationHub.Protocol.Rules;

/// <summary>POT-01: a person in a position of trust is named: the LADO must be told, and MASH. A 16-17-year-old in sexual activity with them is being exploited whatever they say.</summary>
public sealed class PositionOfTrustAllegation : IProtocolRule
{
    public string Id => "POT-01";
    public string Section => "9.1, 9.6";
    public IReadOnlyList<string> SpeaksOf => ["personsOfConcern", "sexualActivity"];

    public void Apply(ConcernFacts facts, DecisionBuilder decision)
    {
        if (facts.PersonInPositionOfTrust is not { } person) return;
        var o = facts.Options;
        var role = person.PositionOfTrust.ToString();
        var exploited = facts.HasSexualActivity && facts.AgeAtActivityIn(o.AgeOfConsent, o.AdultAge);

        decision.Fire(this, exploited
                ? $"A person in a position of trust ({role}) is named and the child was {facts.ChildAgeAtActivity}: a 16-17-year-old in sexual activity with them is being sexually exploited whatever they say. The LADO must be told, and MASH."
                : $"A person in a position of trust ({role}) is named: the LADO must be told, and MASH.")
            .Notify(Recipient.Lado, Priority.SameWorkingDay, $"Allegation against a person in a position of trust ({role}).", Id)
            .Notify(Recipient.Mash, Priority.SameWorkingDay, "Possible abuse of a position of trust.", Id)
            .Act(ActionKinds.LadoConsultation, Owners.Lado, "Allegation against a person in a position of trust.", Id)
            .Due(DeadlineKinds.LadoReferral, facts.DecisionDue, Owners.Lado, Id)
            .Due(DeadlineKinds.MashDecision, facts.DecisionDue, Owners.Mash, Id);
        if (exploited) decision.Flag(ProtocolFlags.AbuseOfPositionOfTrust);
    }
}
