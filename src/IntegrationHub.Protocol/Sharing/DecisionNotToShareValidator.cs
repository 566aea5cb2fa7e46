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
    public static IReadOnlyList<ValidationProblem> Validate(DecisionNotToShare record, DateOnly today, ProtocolOptions? options = null)
    {
        options ??= new ProtocolOptions();
        var problems = new List<ValidationProblem>();

        // The 9.3 factors present may be none: handbook 9.7's own example (15 and 16, close in age, consensual)
        // is a record without factors. An unknown factor value is rejected by the JSON binding, not here.
        var age = ChildAge(record, today);
        if (age is null)
            problems.Add(new("childAgeYears", "Give the child's age or date of birth: the rules for a child under 13 are stricter (U13-02).", "REC-01"));

        if (record.WithheldFrom.Count == 0)
            problems.Add(new("withheldFrom", "Say from whom the information is withheld (for example MASH, Police).", "REC-01"));

        if (string.IsNullOrWhiteSpace(record.Reasons))
            problems.Add(new("reasons", "Record the reasons for the decision not to share.", "REC-01"));

        if (record.DecisionMakers.Count == 0)
            problems.Add(new("decisionMakers", "Name the accountable decision-maker(s).", "REC-01"));
        for (var i = 0; i < record.DecisionMakers.Count; i++)
            if (string.IsNullOrWhiteSpace(record.DecisionMakers[i]))
                problems.Add(new($"decisionMakers[{i}]", "A decision-maker must be named, not left blank.", "REC-01"));

        if (string.IsNullOrWhiteSpace(record.SafeguardingLeadConsulted))
            problems.Add(new("safeguardingLeadConsulted", "Name the designated safeguarding lead who was consulted.", "REC-01"));

        if (string.IsNullOrWhiteSpace(record.SignedBy))
            problems.Add(new("signedBy", "The record must be signed.", "REC-01"));

        if (record.SignedOn is null)
            problems.Add(new("signedOn", "The record must be dated.", "REC-01"));
        else if (record.SignedOn > today)
            problems.Add(new("signedOn", $"The record is dated {record.SignedOn:yyyy-MM-dd}, after today.", "REC-01"));

        if (age is int a && a < options.AgeOfConsentBoundaryUnder13)
        {
            if (string.IsNullOrWhiteSpace(record.SeniorManagerApproval))
                problems.Add(new("seniorManagerApproval", $"The child is {a}: a decision not to share about a child under 13 needs a named senior manager's approval.", "U13-02"));
            if (!string.IsNullOrWhiteSpace(record.Reasons) && record.Reasons.Trim().Length < options.DetailedReasonsMinimumLength)
                problems.Add(new("reasons", $"The child is {a}: a decision not to share about a child under 13 needs detailed reasons (at least {options.DetailedReasonsMinimumLength} characters).", "U13-02"));
        }

        return problems;
    }

    /// <summary>The child's age at the decision: the stated age, else from the date of birth.</summary>
    public static int? ChildAge(DecisionNotToShare record, DateOnly today)
    {
        if (record.ChildAgeYears is int stated) return stated;
        if (record.Child?.AgeYears is int age) return age;
        if (record.Child?.DateOfBirth is { } dob && dob <= today)
        {
            var years = today.Year - dob.Year;
            if (today < dob.AddYears(years)) years--;
            return years;
        }
        return null;
    }
}
