using System.Text.RegularExpressions;

namespace IntegrationHub.Protocol.Language;

/// <summary>What the language check needs to know besides the text: the ages, for "boyfriend" and "girlfriend".</summary>
/// <param name="ChildAge">The child's age (at the activity, if described).</param>
/// <param name="OtherPersonAge">The other person's age: the sexual partner's, else the oldest person of concern's.</param>
/// <param name="AdultAge">Adulthood (default 18).</param>
/// <param name="ConsiderableAgeGapYears">The gap at which a partner is "much older" (Y13-02's threshold, default 4).</param>
public sealed record LanguageContext(int? ChildAge, int? OtherPersonAge, int AdultAge = 18, int ConsiderableAgeGapYears = 4)
{
    public static readonly LanguageContext None = new(null, null);

    public static LanguageContext From(ConcernFacts facts) => new(
        facts.ChildAgeAtActivity,
        facts.OtherPersonAge ?? facts.OldestPersonAge,
        facts.Options.AdultAge,
        facts.Options.ConsiderableAgeGapYears);

    /// <summary>"Boyfriend" or "girlfriend" hides abuse when the other person is an adult or much older than the child.</summary>
    public bool PartnerIsAdultOrMuchOlder =>
        OtherPersonAge is int other && (other >= AdultAge || (ChildAge is int child && other - child >= ConsiderableAgeGapYears));
}

/// <summary>One phrase that blames or minimises, as written, with why and what to say instead.</summary>
/// <param name="Phrase">The words as the sender wrote them.</param>
/// <param name="Reason">Why the phrase is a problem (handbook 8).</param>
/// <param name="BetterWording">A better way to say it.</param>
/// <param name="Term">A stable key for counting per agency, e.g. <c>streetwise</c>.</param>
/// <param name="Index">Where the phrase starts in the narrative.</param>
public sealed record LanguageFinding(string Phrase, string Reason, string BetterWording, string Term, int Index);

/// <summary>
/// LANG-01 (handbook 8): finds language that blames the child or minimises the abuse. Advisory: findings become
/// warnings to the sender and never block routing. Case-insensitive, whole words, common inflections. One
/// source-generated pass over the text finds candidates; nothing is allocated when there are none.
/// </summary>
public static partial class LanguageCheck
{
    private const string Prostitution = @"child(?:ren)?\s+prostitut\w*|prostitut\w*|sex\s+work(?:ers?|ing)?|rent\s+boys?";
    private const string Streetwise = @"street[\s-]*wise";
    private const string Choosing = @"(?:choose|chooses|chose|chosen|choosing)\s+to(?!\s+(?:tell|disclose|speak|talk|report|share)\b)|lifestyle\s+choices?|(?:make|makes|made|making)\s+(?:a\s+|the\s+)?choice\s+to";
    private const string Consent = @"consensual\s+sex\w*|consent(?:ed|s|ing)?\s+to\s+(?:(?:have|having)\s+)?sex\w*|willing(?:ly)?\s+(?:participant|participated|took\s+part)";
    private const string Partner = @"(?:boy|girl)[\s-]*friends?";
    private const string Promiscuous = @"promiscu\w*";
    private const string Absconding = @"abscond\w*";
    private const string PuttingAtRisk = @"(?:put|puts|putting|place|places|placed|placing)\s+(?:themselves|themself|himself|herself)\s+(?:at\s+risk|in\s+danger)";

    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    [GeneratedRegex(@"\b(?:" + Prostitution + "|" + Streetwise + "|" + Choosing + "|" + Consent + "|" + Partner + "|" + Promiscuous + "|" + Absconding + "|" + PuttingAtRisk + @")\b", Options)]
    private static partial Regex AnyTerm();

    [GeneratedRegex("^(?:" + Prostitution + ")$", Options)] private static partial Regex ProstitutionTerm();
    [GeneratedRegex("^(?:" + Streetwise + ")$", Options)] private static partial Regex StreetwiseTerm();
    [GeneratedRegex("^(?:" + Choosing + ")$", Options)] private static partial Regex ChoosingTerm();
    [GeneratedRegex("^(?:" + Consent + ")$", Options)] private static partial Regex ConsentTerm();
    [GeneratedRegex("^(?:" + Partner + ")$", Options)] private static partial Regex PartnerTerm();
    [GeneratedRegex("^(?:" + Promiscuous + ")$", Options)] private static partial Regex PromiscuousTerm();
    [GeneratedRegex("^(?:" + Absconding + ")$", Options)] private static partial Regex AbscondingTerm();
    [GeneratedRegex("^(?:" + PuttingAtRisk + ")$", Options)] private static partial Regex PuttingAtRiskTerm();

    private sealed record Term(string Key, Regex Pattern, string Reason, string BetterWording);

    // In the order of the combined pattern's alternatives, so the first term that matches a candidate is the one found.
    private static readonly Term[] Terms =
    [
        new("child-prostitution", ProstitutionTerm(),
            "A child cannot be a prostitute or a sex worker: the term implies the child chooses to sell sex, when the child is being sexually exploited (handbook 8).",
            "say the child is being sexually exploited, or abused through child sexual exploitation"),
        new("streetwise", StreetwiseTerm(),
            "\"Streetwise\" implies the child understands the dangers and can protect themselves, when they are vulnerable and exposed to situations they cannot control (handbook 8).",
            "describe the risks the child is exposed to and that they are vulnerable"),
        new("choosing-to", ChoosingTerm(),
            "A child being exploited is not making free choices: they are subject to coercion, bribery, violence and threats. Children cannot choose to be abused (handbook 8).",
            "describe what happens to the child and who is involved, e.g. \"is being taken to\", \"is spending time with older men\""),
        new("consensual-sex", ConsentTerm(),
            "A child under 16 cannot legally consent, and in exploitation the child is not in a position to make such a choice (handbook 8).",
            "describe the sexual activity and the child's age, e.g. \"is having sex with\", \"is being sexually abused by\""),
        new("boyfriend", PartnerTerm(),
            "Calling an adult or much older person the child's boyfriend or girlfriend hides abuse: this is not a relationship of equals (handbook 8).",
            "name the person's age and what they do, e.g. \"a 24-year-old man the child is spending time with\", \"the alleged perpetrator\""),
        new("promiscuous", PromiscuousTerm(),
            "\"Promiscuous\" blames the child for their own abuse (handbook 8).",
            "say the child is being sexually exploited or abused, and by whom if known"),
        new("absconder", AbscondingTerm(),
            "\"Absconder\"/\"absconding\" treats a missing child as a wrongdoer; going missing is the most immediate sign of risk (handbook 6, 8).",
            "say the child went missing, and for how long"),
        new("putting-themselves-at-risk", PuttingAtRiskTerm(),
            "The child is not putting themselves at risk: others are exploiting them (handbook 8).",
            "say who or what puts the child at risk, e.g. \"is being exposed to risk by\""),
    ];

    /// <summary>Every phrase in <paramref name="narrative"/> that blames the child or minimises abuse, in the order written.</summary>
    public static IReadOnlyList<LanguageFinding> Find(string? narrative, LanguageContext context)
    {
        if (string.IsNullOrEmpty(narrative)) return [];
        List<LanguageFinding>? findings = null;
        foreach (var match in AnyTerm().EnumerateMatches(narrative))
        {
            var slice = narrative.AsSpan(match.Index, match.Length);
            foreach (var term in Terms)
            {
                if (!term.Pattern.IsMatch(slice)) continue;
                if (term.Key == "boyfriend" && !context.PartnerIsAdultOrMuchOlder) break;
                (findings ??= []).Add(new LanguageFinding(slice.ToString(), term.Reason, term.BetterWording, term.Key, match.Index));
                break;
            }
        }
        return findings is null ? [] : findings;
    }
}
