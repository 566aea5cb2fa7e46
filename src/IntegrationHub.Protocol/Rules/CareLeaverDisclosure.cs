using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Sharing;

namespace IntegrationHub.Protocol.Rules;

/// <summary>LC-01: a care leaver aged 18 or over discloses: the police only with their recorded agreement; risks to under-18s named in it go to MASH.</summary>
public sealed class CareLeaverDisclosure : IProtocolRule
{
    public string Id => "LC-01";
    public string Section => "10.2.2";
    public IReadOnlyList<string> SpeaksOf => ["child.legalStatus", "careLeaverAgreedToPoliceReferral", "riskToOtherChildrenNamed"];

    public void Apply(ConcernFacts facts, DecisionBuilder decision)
    {
        var c = facts.Concern;
        if (facts.ChildAge is not int age || age < facts.Options.AdultAge) return;
        if (c.Child.LegalStatus != LegalStatus.CareLeaver && c.Referrer.Service != ReferrerService.LeavingCare) return;

        if (c.CareLeaverAgreedToPoliceReferral)
        {
            decision.Fire(this, $"A care leaver aged {age} disclosed and agreed, on record, to the police being told.")
                .Notify(Recipient.Police, Priority.SameWorkingDay, "Disclosure by a care leaver who agreed to the police being told.", Id);
        }
        else
        {
            decision.Fire(this, $"A care leaver aged {age} disclosed but has not agreed to the police being told: the police are not told; the personal adviser seeks agreement and offers support through a police interview.")
                .Act(ActionKinds.SeekAgreementToTellPolice, "leaving care personal adviser", "Seek the young adult's agreement to contact the police and offer support through an interview.", Id);
        }

        if (c.RiskToOtherChildrenNamed)
            decision.Fire(this, "The disclosure names risks to children under 18: MASH is told.")
                .Notify(Recipient.Mash, Priority.SameWorkingDay, "A care leaver's disclosure names risks to children.", Id)
                .Due(DeadlineKinds.MashDecision, facts.DecisionDue, Owners.Mash, Id);
    }
}
