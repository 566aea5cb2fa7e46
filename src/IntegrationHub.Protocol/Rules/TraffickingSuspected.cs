using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Sharing;

namespace IntegrationHub.Protocol.Rules;

/// <summary>TRF-01: trafficking (into, within or out of the UK; street to street counts) always goes to the police with the evidence set.</summary>
public sealed class TraffickingSuspected : IProtocolRule
{
    public string Id => "TRF-01";
    public string Section => "7";
    public IReadOnlyList<string> SpeaksOf => ["trafficking"];

    public void Apply(ConcernFacts facts, DecisionBuilder decision)
    {
        if (facts.Concern.Trafficking is not { } t) return;
        var kind = t.Types.Count == 0 ? "trafficking" : $"trafficking ({t.Types[0]})";
        decision.Fire(this, $"The sender suspects {kind}: a criminal offence, always reported to the police with the evidence; distance does not matter.")
            .Notify(Recipient.Police, Priority.SameWorkingDay, "Suspected trafficking: evidence for investigation.", Id)
            .Act(ActionKinds.SecureTraffickingEvidence, Owners.Sender, "Record what the child said, what others said, dates and times, people and vehicles, and pass them to the police.", Id)
            .Flag(ProtocolFlags.TraffickingSuspected);

        if (string.IsNullOrWhiteSpace(t.ChildSaid)) MissingEvidence(decision, "trafficking.childSaid", "what the child said, in their words");
        if (string.IsNullOrWhiteSpace(t.OthersSaid)) MissingEvidence(decision, "trafficking.othersSaid", "what others said about the child");
        if (t.DatesAndTimes.Count == 0) MissingEvidence(decision, "trafficking.datesAndTimes", "dates and times known or suspected");
        if (t.Persons.Count == 0) MissingEvidence(decision, "trafficking.persons", "the people the child was with");
        if (t.Vehicles.Count == 0) MissingEvidence(decision, "trafficking.vehicles", "vehicles used to move the child");
    }

    private static void MissingEvidence(DecisionBuilder decision, string field, string what) =>
        decision.Warn("TRF-01.evidence-missing", $"The police need {what}; send it when you have it.", field);
}
