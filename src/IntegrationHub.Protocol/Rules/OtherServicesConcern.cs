using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Sharing;

namespace IntegrationHub.Protocol.Rules;

/// <summary>OTH-01: leisure, libraries, parks, housing or adult social care staff pass concerns to the police, and to MASH where harm is suspected.</summary>
public sealed class OtherServicesConcern : IProtocolRule
{
    public string Id => "OTH-01";
    public string Section => "10.10.3";
    public IReadOnlyList<string> SpeaksOf => ["referrer", "harmSuspected"];

    public void Apply(ConcernFacts facts, DecisionBuilder decision)
    {
        var service = facts.Concern.Referrer.Service;
        if (service is not (ReferrerService.Leisure or ReferrerService.Libraries or ReferrerService.Parks
            or ReferrerService.Housing or ReferrerService.AdultSocialCare)) return;

        decision.Fire(this, facts.Concern.HarmSuspected
                ? $"A concern from {service} staff where harm is suspected: passed to the police and referred to MASH."
                : $"A concern from {service} staff: passed to the police.")
            .Notify(Recipient.Police, Priority.SameWorkingDay, $"Concern noticed by {service} staff.", Id);
        if (facts.Concern.HarmSuspected)
            decision.Notify(Recipient.Mash, Priority.SameWorkingDay, "Harm to the child is suspected.", Id)
                .Due(DeadlineKinds.MashDecision, facts.DecisionDue, Owners.Mash, Id);
    }
}
