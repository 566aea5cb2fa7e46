using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Sharing;

namespace IntegrationHub.Protocol.Rules;

/// <summary>
/// RI-01: a completed return interview that discloses CSE indicators or persons of concern is a new concern: MASH, MARP,
/// and the police when it names persons, locations or vehicles. The hub raises the concern itself
/// (<see cref="MissingEpisodes.ReturnInterviewFindings.ConcernFrom"/>); this rule routes it.
/// </summary>
public sealed class ReturnInterviewDisclosure : IProtocolRule
{
    public string Id => "RI-01";
    public string Section => "14.1";

    public void Apply(ConcernFacts facts, DecisionBuilder decision)
    {
        if (facts.Message.FromReturnInterview is null) return;
        var concern = facts.Concern;
        decision.Fire(this, "A return interview disclosed exploitation indicators or persons of concern: it is a new concern for MASH and MARP.")
            .Notify(Recipient.Mash, Priority.SameWorkingDay, "Return interview findings: a new concern.", Id)
            .Notify(Recipient.Marp, Priority.Routine, "Return interview findings for the risk picture.", Id)
            .Due(DeadlineKinds.MashDecision, facts.DecisionDue, Owners.Mash, Id)
            .Flag(ProtocolFlags.ReturnInterviewFindings);
        if (concern.PersonsOfConcern.Count > 0 || concern.Locations.Count > 0)
            decision.Notify(Recipient.Police, Priority.SameWorkingDay, "Return interview named persons, locations or vehicles.", Id);
    }
}
