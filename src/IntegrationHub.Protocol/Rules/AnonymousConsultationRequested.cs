using IntegrationHub.Protocol.Sharing;

namespace IntegrationHub.Protocol.Rules;

/// <summary>
/// Y13-03: the sender asks to discuss a 13-15-year-old anonymously. Allowed: every copy is stripped of identifiers
/// and the caller keeps the pseudonymous key. Refused (with a warning, and the concern routed identified) for a child
/// under 13 today or at the time of the activity (U13-01), 16 or over, of unknown age, or at immediate risk (IMM-01).
/// The hub's intake makes the same check first and refuses such a concern (422) before anything is stored; this
/// warning is what a direct caller of the engine sees.
/// </summary>
public sealed class AnonymousConsultationRequested : IProtocolRule
{
    public string Id => "Y13-03";
    public string Section => "9.2";

    public void Apply(ConcernFacts facts, DecisionBuilder decision)
    {
        if (!facts.Concern.AnonymousConsultationRequested) return;
        if (AnonymousConsultation.Check(facts) is { } refusal)
        {
            decision.Warn($"{refusal.RuleId}.anonymous-consultation-refused", $"{refusal.Reason} The concern is routed with the child identified.", "anonymousConsultationRequested");
            return;
        }
        decision.Fire(this, $"The sender asked for an anonymous consultation about a child of {facts.ChildAge}: allowed; the child's direct and indirect identifiers are removed from every copy.")
            .Anonymise();
    }
}
