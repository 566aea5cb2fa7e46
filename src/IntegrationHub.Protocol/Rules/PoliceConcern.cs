using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Sharing;

namespace IntegrationHub.Protocol.Rules;

/// <summary>POL-01: a police public-protection notification (PPD1) goes to MASH.</summary>
public sealed class PoliceConcern : IProtocolRule
{
    public string Id => "POL-01";
    public string Section => "10.3.3";

    public void Apply(ConcernFacts facts, DecisionBuilder decision)
    {
        if (facts.Agency != Agency.Police) return;
        decision.Fire(this, "A police public-protection notification (PPD1) about a child is shared with MASH.")
            .Notify(Recipient.Mash, Priority.SameWorkingDay, "Police public-protection notification for a MASH decision.", Id)
            .Due(DeadlineKinds.MashDecision, facts.DecisionDue, Owners.Mash, Id);
    }
}
