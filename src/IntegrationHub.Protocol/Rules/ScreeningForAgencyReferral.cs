using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Sharing;

namespace IntegrationHub.Protocol.Rules;

/// <summary>SCR-01: a CSE referral from health, probation, education, YOT or leaving care goes to MASH, with the screening tool attached.</summary>
/// <remarks>
/// A "CSE referral" is a concern whose screening confirms a concern, or, with no screening attached, one that names
/// the exploitation suspected. A screening showing an emerging concern or none is below referral (SCR-02), and a
/// plain underage-sexual-activity concern is for the sender's 9.3 assessment (Y13-01). A care leaver of 18 or over
/// is LC-01's.
/// </remarks>
public sealed class ScreeningForAgencyReferral : IProtocolRule
{
    public string Id => "SCR-01";
    public string Section => "10.1.5, 10.4.6, 10.6.8, 10.7.3, 10.9.6";

    public void Apply(ConcernFacts facts, DecisionBuilder decision)
    {
        var fromScreeningAgency = facts.Agency is Agency.Health or Agency.Probation or Agency.Education or Agency.Yot
            || facts.Concern.Referrer.Service == ReferrerService.LeavingCare;
        if (!fromScreeningAgency) return;
        var screening = facts.Concern.Screening;
        var cseReferral = screening is null ? facts.Concern.ExploitationType != ExploitationType.NotKnown : screening.Outcome == ScreeningOutcome.Confirmed;
        if (!cseReferral || facts.ChildAge >= facts.Options.AdultAge) return;

        decision.Fire(this, $"A referral from {facts.Agency.ToString().ToLowerInvariant()} about a child at risk of exploitation goes to MASH.")
            .Notify(Recipient.Mash, Priority.SameWorkingDay, "Referral for a MASH decision.", Id)
            .Due("MashDecision", facts.DecisionDue, Owners.Mash, Id);

        if (facts.Concern.Screening is null)
            decision.Warn("SCR-01.missing-screening",
                "No completed CSE screening tool was attached. The referral has been routed anyway; please send the screening to MASH.",
                "screening");
    }
}
