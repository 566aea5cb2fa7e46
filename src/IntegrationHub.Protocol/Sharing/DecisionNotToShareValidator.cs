using IntegrationHub.Contracts.Sharing;

namespace IntegrationHub.Protocol.Sharing;

/// <summary>Something missing or wrong in a record, with the JSON path of the field and the rule that asks for it.</summary>
public sealed record ValidationProblem(string Field, string Message, string RuleId);

/// <summary>
/// REC-01 and U13-02 (handbook 9.2, 9.7): a decision not to share is accepted only when the record is complete.
/// Pure: the caller passes today's date; an empty result means the record is accepted.
/// </summary>
public static class DecisionNotToShareValidator
{
    /// <summary>Every missing or invalid item, in the order of the record; empty when the record is accepted.</summary>
    /// <param name="concernIsTheSenders">
    /// Whether <see cref="DecisionNotToShare.ConcernTrackingId"/>, when the record gives one, is the tracking id of a
    /// concern the sending agency sent to the hub (the caller looks it up; the protocol does no I/O).
    /// </param>
    public static IReadOnlyList<ValidationProblem> Validate(DecisionNotToShare record, DateOnly today, ProtocolOptions? options = null,
        bool concernIsTheSenders = true)
    {
        options ??= new ProtocolOptions();
        var problems = new List<ValidationProblem>();

        // The record is the evidence of the decision, kept for years: one that points at another agency's concern (another
        // child's, perhaps) or at none would be read as being about a concern it is not about. The message is the same for
        // another agency's concern and for none, so a refusal tells the sender nothing about other agencies' concerns.
        if (record.ConcernTrackingId is { } concern && !concernIsTheSenders)
            problems.Add(new("concernTrackingId", $"No concern your agency sent to the hub has the tracking id {concern}: give the tracking id the hub returned for the concern this decision is about, or leave concernTrackingId out if that concern was not sent to the hub.", "REC-01"));

        // The 9.3 factors present may be none: handbook 9.7's own example (15 and 16, close in age, consensual)
        // is a record without factors. An unknown factor value is rejected by the JSON binding, not here.
        var dob = record.Child?.DateOfBirth;
        if (dob > today)
            problems.Add(new("child.dateOfBirth", $"The date of birth {dob:yyyy-MM-dd} is after today.", "REC-01"));
        if (record.ChildAgeYears is < 0 or > MaximumAge)
            problems.Add(new("childAgeYears", $"The age {record.ChildAgeYears} is not a child's or young person's age (0 to {MaximumAge}).", "REC-01"));
        var age = ChildAge(record, today);
        var asOf = DecisionDate(record, today);
        if (age is null && !(dob > today)) // a date of birth after today has its own problem, above
            problems.Add(new("childAgeYears", "Give the child's age or date of birth: the rules for a child under 13 are stricter (U13-02).", "REC-01"));
        // The date of birth decides the age, as for a concern; an age stated beside it that does not fit it is a mistake in
        // one of them, and the hub cannot tell which (trusting the age would let a record about an 11-year-old skip U13-02).
        if (dob is { } born && born <= today && age is int ageWhenSigned)
            foreach (var (field, stated) in new[] { ("childAgeYears", record.ChildAgeYears), ("child.ageYears", record.Child?.AgeYears) })
                if (stated is int given && given != ageWhenSigned && given != ConcernFacts.YearsBetween(born, today))
                    problems.Add(new(field, $"The age {given} does not fit the date of birth {born:yyyy-MM-dd} (the child was {ageWhenSigned} on {asOf:yyyy-MM-dd}): correct one of them.", "REC-01"));

        if (record.WithheldFrom.Count == 0)
            problems.Add(new("withheldFrom", "Say from whom the information is withheld (for example MASH, Police).", "REC-01"));

        if (Meaningful(record.Reasons).Length == 0)
            problems.Add(new("reasons", "Record the reasons for the decision not to share.", "REC-01"));

        if (record.DecisionMakers.Count == 0)
            problems.Add(new("decisionMakers", "Name the accountable decision-maker(s).", "REC-01"));
        for (var i = 0; i < record.DecisionMakers.Count; i++)
            if (!IsName(record.DecisionMakers[i]))
                problems.Add(new($"decisionMakers[{i}]", "A decision-maker must be named, not left blank or given as a placeholder.", "REC-01"));

        if (!IsName(record.SafeguardingLeadConsulted))
            problems.Add(new("safeguardingLeadConsulted", "Name the designated safeguarding lead who was consulted.", "REC-01"));

        if (!IsName(record.SignedBy))
            problems.Add(new("signedBy", "The record must be signed, with the signer's name.", "REC-01"));

        if (record.SignedOn is not { } signed)
            problems.Add(new("signedOn", "The record must be dated.", "REC-01"));
        else if (signed > today)
            problems.Add(new("signedOn", $"The record is dated {signed:yyyy-MM-dd}, after today.", "REC-01"));
        else if (BornBy(record, today) is { } bornBy && signed < bornBy)
            problems.Add(new("signedOn", $"The record is dated {signed:yyyy-MM-dd}, before the child was born ({(dob is null ? "by the age given" : "by the date of birth")}): give the date it was signed.", "REC-01"));

        if (age is int a && a < options.AgeOfConsentBoundaryUnder13)
        {
            if (!IsName(record.SeniorManagerApproval))
                problems.Add(new("seniorManagerApproval", $"The child is {a}: a decision not to share about a child under 13 needs a named senior manager's approval.", "U13-02"));
            var reasons = Meaningful(record.Reasons);
            if (reasons.Length > 0 && reasons.Length < options.DetailedReasonsMinimumLength)
                problems.Add(new("reasons", $"The child is {a}: a decision not to share about a child under 13 needs detailed reasons (at least {options.DetailedReasonsMinimumLength} characters, not counting repeated spaces).", "U13-02"));
        }

        return problems;
    }

    /// <summary>The oldest age a record may give: a care leaver's (as for a concern's child).</summary>
    public const int MaximumAge = 25;

    /// <summary>
    /// The child's age at the decision (the day it was signed, or today when that date is missing or in the future): from
    /// the date of birth when it is given, as for a concern; else the youngest age stated, so a slip between the two age
    /// fields never takes a child out of U13-02.
    /// </summary>
    public static int? ChildAge(DecisionNotToShare record, DateOnly today)
    {
        if (record.Child?.DateOfBirth is { } dob && dob <= today) return ConcernFacts.YearsBetween(dob, DecisionDate(record, today));
        return StatedAges(record).Min();
    }

    /// <summary>The ages the record states (<c>childAgeYears</c>, <c>child.ageYears</c>) that are a child's or young person's.</summary>
    private static IEnumerable<int?> StatedAges(DecisionNotToShare record) =>
        new[] { record.ChildAgeYears, record.Child?.AgeYears }.Where(a => a is >= 0 and <= MaximumAge);

    /// <summary>The day the decision was made: the day signed, unless missing or after today.</summary>
    private static DateOnly DecisionDate(DecisionNotToShare record, DateOnly today) =>
        record.SignedOn is { } signed && signed <= today ? signed : today;

    /// <summary>
    /// The earliest day the child can have been born: the date of birth, else a year before the oldest age stated (the
    /// bound that refuses the fewest records).
    /// </summary>
    private static DateOnly? BornBy(DecisionNotToShare record, DateOnly today)
    {
        if (record.Child?.DateOfBirth is { } dob) return dob;
        return StatedAges(record).Max() is int oldest ? today.AddYears(-(oldest + 1)) : null;
    }

    /// <summary>The text as a reader sees it: no invisible (format or control) characters, each run of spaces as one.</summary>
    private static string Meaningful(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var kept = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
        {
            var category = char.GetUnicodeCategory(c);
            if (category is System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.Control && !char.IsWhiteSpace(c)) continue;
            if (char.IsWhiteSpace(c) || category == System.Globalization.UnicodeCategory.Control)
            {
                if (kept.Length > 0 && kept[^1] != ' ') kept.Append(' ');
                continue;
            }
            kept.Append(c);
        }
        return kept.ToString().Trim();
    }

    private static readonly HashSet<string> Placeholders = new(StringComparer.OrdinalIgnoreCase)
        { "n/a", "na", "none", "nobody", "unknown", "tbc", "tba", "yes", "no", "x", "xx", "xxx", "test", "name", "signed" };

    /// <summary>A person's name: at least two letters, and not a placeholder ("-", "n/a", "yes", an invisible character).</summary>
    private static bool IsName(string? value)
    {
        var name = Meaningful(value);
        return name.Count(char.IsLetter) >= 2 && !Placeholders.Contains(name);
    }
}
