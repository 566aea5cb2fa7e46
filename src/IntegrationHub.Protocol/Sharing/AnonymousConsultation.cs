using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Referrals;

namespace IntegrationHub.Protocol.Sharing;

/// <summary>Why the hub will not discuss a child anonymously.</summary>
/// <param name="RuleId">The rule that refuses, e.g. <c>U13-01</c>.</param>
/// <param name="Reason">Plain English, for the sender: why, not what happens next (the engine routes the concern identified; the hub's intake refuses it).</param>
public sealed record AnonymousConsultationRefusal(string RuleId, string Reason);

/// <summary>
/// Y13-03 (handbook 9.2): a sender may discuss a 13-15-year-old without identifying them, directly or indirectly.
/// <see cref="Check(Concern, DateTimeOffset, ProtocolOptions)"/> decides whether that is allowed, the same way at the
/// hub's intake (before anything is stored) and in the engine; the caller keeps the pseudonymous key and cuts every
/// copy with <see cref="Strip"/> (or <c>ReleaseProfiles.Cut(..., decision.Flags)</c>).
/// </summary>
public static class AnonymousConsultation
{
    /// <summary>Null when the consultation is allowed or was not asked for; otherwise the refusal.</summary>
    public static AnonymousConsultationRefusal? Check(ConcernFacts facts) => Check(facts.Concern, facts.Now, facts.Options);

    /// <summary>
    /// Null when <paramref name="concern"/> may be discussed anonymously, or did not ask to be; otherwise the refusal.
    /// Refused at immediate risk (IMM-01: the police and MASH must know who the child is), for a child under 13 today
    /// or at the time of the sexual activity described (U13-01: the child must be identified), and for a child of 16 or
    /// over or of unknown age (Y13-03 is for 13 to 15).
    /// </summary>
    public static AnonymousConsultationRefusal? Check(Concern concern, DateTimeOffset now, ProtocolOptions options)
    {
        if (!concern.AnonymousConsultationRequested) return null;
        if (concern.ImmediateRisk)
            return new("IMM-01", "The child is at immediate risk: the police and MASH must know who the child is (handbook 9.6).");
        if (concern.SexualActivity?.ChildAgeAtTime is int then && then < options.AgeOfConsentBoundaryUnder13)
            return new("U13-01", $"The child was {then} at the time of the sexual activity: a child under 13 and the alleged perpetrator must be identified so that a strategy discussion can be held (handbook 9.5).");
        return Check(ConcernFacts.AgeOf(concern.Child, now, options.TimeZone), options);
    }

    /// <summary>Whether a child of <paramref name="childAge"/> may be discussed anonymously, on age alone: null when allowed.</summary>
    public static AnonymousConsultationRefusal? Check(int? childAge, ProtocolOptions options)
    {
        if (childAge is not int age)
            return new("Y13-03", "An anonymous consultation is only for a child aged 13 to 15, and no age or date of birth was given.");
        if (age < options.AgeOfConsentBoundaryUnder13)
            return new("U13-01", $"The child is {age}: a child under 13 and the alleged perpetrator must be identified so that a strategy discussion can be held (handbook 9.5).");
        if (age >= options.AgeOfConsent)
            return new("Y13-03", $"The child is {age}: an anonymous consultation is only for a child aged 13 to 15 (handbook 9.2).");
        return null;
    }

    /// <summary>
    /// The concern without direct or indirect identifiers of the child: names, NHS number, local id, date of birth
    /// (the age in years is kept), address, postcode, school, school URN and the sender's reference. The child's names
    /// are also blanked out of the narrative and the trafficking accounts. Persons, locations and the referrer stay:
    /// they are what the consultation is about and who to answer.
    /// </summary>
    public static Concern Strip(Concern concern, DateTimeOffset asOf)
    {
        var c = concern.Child;
        return concern with
        {
            SenderReference = null,
            Child = c with
            {
                NhsNumber = null,
                LocalChildId = null,
                GivenName = null,
                FamilyName = null,
                DateOfBirth = null,
                AgeYears = ConcernFacts.AgeOf(c, asOf),
                Address = null,
                Postcode = null,
                School = null,
                SchoolUrn = null,
            },
            Narrative = Blank(concern.Narrative, c) ?? "",
            Trafficking = concern.Trafficking is null ? null : concern.Trafficking with
            {
                ChildSaid = Blank(concern.Trafficking.ChildSaid, c),
                OthersSaid = Blank(concern.Trafficking.OthersSaid, c),
            },
        };
    }

    private static string? Blank(string? text, ChildDetails child)
    {
        if (string.IsNullOrEmpty(text)) return text;
        foreach (var name in new[] { child.GivenName, child.FamilyName })
        {
            if (string.IsNullOrWhiteSpace(name)) continue;
            foreach (var part in name.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (part.Length < 2) continue;
                text = System.Text.RegularExpressions.Regex.Replace(text,
                    $@"\b{System.Text.RegularExpressions.Regex.Escape(part)}\b", "[child]",
                    System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant,
                    TimeSpan.FromMilliseconds(200));
            }
        }
        return text;
    }
}
