using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Sharing;

namespace IntegrationHub.Protocol.Rules;

/// <summary>SCR-01: a CSE referral from health, probation, education, YOT or leaving care goes to MASH, with the screening tool attached.</summary>
public sealed class ScreeningForAgencyReferral : IProtocolRule
{
    public string Id => "SCR-01";
    public string Section => "10.1.5, 10.4.6, 10.6.8, 10.7.3, 10.9.6";

    public void Apply(ConcernFacts facts, DecisionBuilder decision)
    {
        var fromScreeningAgency = facts.Agency is Agency.Health or Agency.Probation or Agency.Education or Agency.Yot
            || facts.Concern.Referrer.Service == ReferrerService.LeavingCare;
        if (!fromScreeningAgency) return;

        decision.Fire(this, $"A referral from {facts.Agency.ToString().ToLowerInvariant()} about a child at risk of exploitation goes to MASH.")
            .Notify(Recipient.Mash, Priority.SameWorkingDay, "Referral for a MASH decision.", Id)
            .Due("MashDecision", facts.WorkingDaysFromNow(facts.Options.DecisionWorkingDays), "MASH", Id);

        if (facts.Concern.Screening is null)
            decision.Warn("SCR-01.missing-screening",
                "No completed CSE screening tool was attached. The referral has been routed anyway; please send the screening to MASH.",
                "screening");
    }
}
