using IntegrationHub.Protocol.Sharing;

namespace IntegrationHub.Protocol.Rules;

/// <summary>
/// Y13-03: the sender asks to discuss a 13-15-year-old anonymously. Allowed: every copy is stripped of identifiers
/// and the caller keeps the pseudonymous key. Refused (with a warning, and the concern routed identified) for a child
/// under 13 (U13-01), 16 or over, of unknown age, or at immediate risk (IMM-01).
/// </summary>
public sealed class AnonymousConsultationRequested : IProtocolRule
{
    public string Id => "Y13-03";
    public string Section => "9.2";

    public void Apply(ConcernFacts facts, DecisionBuilder decision)
    {
        if (!facts.Concern.AnonymousConsultationRequested) return;
        var refusal = facts.Concern.ImmediateRisk
            ? new AnonymousConsultationRefusal("IMM-01", "The child is at immediate risk: the police and MASH must know who the child is. The concern is routed with the child identified.")
            : AnonymousConsultation.Check(facts);
        if (refusal is not null)
        {
            decision.Warn($"{refusal.RuleId}.anonymous-consultation-refused", refusal.Reason, "anonymousConsultationRequested");
            return;
        }
        decision.Fire(this, $"The sender asked for an anonymous consultation about a child of {facts.ChildAge}: allowed; the child's direct and indirect identifiers are removed from every copy.")
            .Anonymise();
    }
}
