using IntegrationHub.Contracts.Common;

namespace IntegrationHub.Protocol.Rules;

/// <summary>SCR-02: a screening showing an emerging concern, below referral: suggest early help, sexual-health outreach or youth engagement; no MASH referral is required.</summary>
public sealed class EmergingConcern : IProtocolRule
{
    public string Id => "SCR-02";
    public string Section => "10.1.5";
    public IReadOnlyList<string> SpeaksOf => ["screening"];

    public void Apply(ConcernFacts facts, DecisionBuilder decision)
    {
        if (facts.Concern.Screening?.Outcome != ScreeningOutcome.Emerging) return;
        decision.Fire(this, "The screening shows an emerging concern, below the referral threshold: no MASH referral is required; consider early help, sexual-health outreach or youth engagement.")
            .Act(ActionKinds.EarlyHelpSuggested, Owners.Sender, "Consider early help, sexual-health outreach nurses or youth engagement workers; screen again if concerns grow.", Id);
    }
}
