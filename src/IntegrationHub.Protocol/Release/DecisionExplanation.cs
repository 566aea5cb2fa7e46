using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Sharing;
using IntegrationHub.Protocol.Rules;

namespace IntegrationHub.Protocol.Release;

/// <summary>The decision's explanation as one recipient receives it, cut as its copy of the concern is.</summary>
public sealed record DecisionExplanation(
    IReadOnlyList<RuleFired> RulesFired, IReadOnlyList<RequiredAction> Actions, IReadOnlyList<Deadline> Deadlines, IReadOnlyList<string> Flags);

public static partial class ReleaseProfiles
{
    private static readonly Dictionary<string, IReadOnlyList<string>> RuleSpeaksOf =
        ConcernRules.All.ToDictionary(r => r.Id, r => r.SpeaksOf);

    /// <summary>
    /// What <paramref name="recipient"/> may be told of why: every rule that fired keeps its id and section, but a rule
    /// whose reason speaks of a field withheld from the recipient (DIS-01 names the impairment, SCR-02 the screening,
    /// TRF-01 the kind of trafficking) has its reason replaced, and its actions and deadlines are left out; so are the
    /// flags that speak of such a field (<see cref="ProtocolFlags.SpeaksOf"/>). Without this the explanation would
    /// carry what the cut of the concern held back.
    /// </summary>
    public static DecisionExplanation Explain(RoutingDecision decision, Recipient recipient)
    {
        var profile = For(recipient, decision.Flags.Contains(ProtocolFlags.AnonymousConsultation));
        string[] Hidden(IReadOnlyList<string> fields) => [.. fields.Where(f => !profile.Allows(f))];
        var hiddenRules = new HashSet<string>();
        var rules = decision.RulesFired.Select(r =>
        {
            var hidden = RuleSpeaksOf.TryGetValue(r.RuleId, out var fields) ? Hidden(fields) : [];
            if (hidden.Length == 0) return r;
            hiddenRules.Add(r.RuleId);
            return r with { Reason = $"Applied; the reason is held back because it speaks of {string.Join(", ", hidden)}, which this recipient does not receive." };
        }).ToList();
        return new DecisionExplanation(
            rules,
            [.. decision.Actions.Where(a => !hiddenRules.Contains(a.RuleId))],
            [.. decision.Deadlines.Where(d => !hiddenRules.Contains(d.RuleId))],
            [.. decision.Flags.Where(f => !ProtocolFlags.SpeaksOf.TryGetValue(f, out var fields) || Hidden(fields).Length == 0)]);
    }
}
