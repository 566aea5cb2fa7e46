using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Sharing;

namespace IntegrationHub.Protocol.Rules;

/// <summary>POT-02: the alleged perpetrator works with children, is an approved foster carer, or meets the national harm test: the LADO, whatever the child's age, within one working day.</summary>
public sealed class WorksWithChildrenAllegation : IProtocolRule
{
    public string Id => "POT-02";
    public string Section => "9.6 NB";
    public IReadOnlyList<string> SpeaksOf => ["personsOfConcern"];

    public void Apply(ConcernFacts facts, DecisionBuilder decision)
    {
        if (facts.PersonWorkingWithChildren is not { } person) return;
        var why = person.ApprovedFosterCarer ? "is an approved foster carer"
            : person.WorksWithChildren ? "works with children"
            : $"meets the harm test ({person.HarmTest[0]})";

        decision.Fire(this, $"The alleged perpetrator {why}: the case must be the subject of a consultation with or referral to the LADO within {facts.Options.DecisionWorkingDays} working day(s), whatever the child's age.")
            .Notify(Recipient.Lado, Priority.SameWorkingDay, $"The alleged perpetrator {why}.", Id)
            .Act(ActionKinds.LadoConsultation, Owners.Lado, $"The alleged perpetrator {why}.", Id)
            .Due(DeadlineKinds.LadoReferral, facts.DecisionDue, Owners.Lado, Id);
    }
}
