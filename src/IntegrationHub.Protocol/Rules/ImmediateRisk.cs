using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Sharing;

namespace IntegrationHub.Protocol.Rules;

/// <summary>IMM-01: a child at immediate risk goes to the police first, urgently, and to MASH as well.</summary>
public sealed class ImmediateRisk : IProtocolRule
{
    public string Id => "IMM-01";
    public string Section => "9.6, 10.3.6";
    public IReadOnlyList<string> SpeaksOf => ["immediateRisk"];

    public void Apply(ConcernFacts facts, DecisionBuilder decision)
    {
        if (!facts.Concern.ImmediateRisk) return;
        decision.Fire(this, "The sender says the child is at immediate risk: the police are told first, urgently, and MASH as well.")
            .Notify(Recipient.Police, Priority.Urgent, "Immediate risk to the child: act now.", Id)
            .Notify(Recipient.Mash, Priority.Urgent, "Immediate risk to the child.", Id)
            .Flag(ProtocolFlags.ImmediateRisk);
    }
}
