using IntegrationHub.Protocol.Language;

namespace IntegrationHub.Protocol.Rules;

/// <summary>LANG-01: language that blames the child or minimises abuse gets advisory feedback with a better wording; it never blocks.</summary>
public sealed class LanguageAndLabelling : IProtocolRule
{
    public string Id => "LANG-01";
    public string Section => "8";
    public IReadOnlyList<string> SpeaksOf => ["narrative"];

    public void Apply(ConcernFacts facts, DecisionBuilder decision)
    {
        var findings = LanguageCheck.Find(facts.Concern.Narrative, LanguageContext.From(facts));
        if (findings.Count == 0) return;
        var first = findings[0].Phrase;
        decision.Fire(this, findings.Count == 1
            ? $"The narrative says \"{first}\", which blames the child or minimises the abuse: feedback to the sender; routing is unchanged."
            : $"The narrative uses {findings.Count} phrases that blame the child or minimise the abuse (first: \"{first}\"): feedback to the sender; routing is unchanged.");
        foreach (var f in findings)
            decision.Warn($"LANG-01.{f.Term}", $"\"{f.Phrase}\": {f.Reason} Instead: {f.BetterWording}.", "narrative");
    }
}
