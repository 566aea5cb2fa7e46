using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Referrals;

namespace IntegrationHub.Adapters.Inbound;

/// <summary>Checks on a concern that a JSON parser cannot express: text present but blank, identifiers that fail their check, impossible ages.</summary>
public static class ConcernChecks
{
    /// <param name="prefix">Where the concern's fields sit in the sender's own format, for the paths in the problems.</param>
    public static List<InboundProblem> Validate(Concern concern, string prefix = "")
    {
        var problems = new List<InboundProblem>();
        if (string.IsNullOrWhiteSpace(concern.Narrative))
            problems.Add(new($"{prefix}narrative", "Required: say what happened, in your words."));
        if (concern.Child.NhsNumber is { } nhs && !NhsNumber.IsValid(nhs))
            problems.Add(new($"{prefix}child.nhsNumber", "Not a valid NHS number: ten digits whose last is the modulus-11 check digit. Leave it out if unknown."));
        if (concern.Child.AgeYears is < 0 or > 25)
            problems.Add(new($"{prefix}child.ageYears", "Must be between 0 and 25."));
        if (concern.SexualActivity?.OtherPersonAge is < 0 or > 120)
            problems.Add(new($"{prefix}sexualActivity.otherPersonAge", "Must be between 0 and 120."));
        if (concern.SexualActivity?.ChildAgeAtTime is < 0 or > 25)
            problems.Add(new($"{prefix}sexualActivity.childAgeAtTime", "Must be between 0 and 25."));
        for (var i = 0; i < concern.PersonsOfConcern.Count; i++)
            if (concern.PersonsOfConcern[i].AgeYears is < 0 or > 120)
                problems.Add(new($"{prefix}personsOfConcern[{i}].ageYears", "Must be between 0 and 120."));
        return problems;
    }

    /// <summary>The concern if it passes <see cref="Validate"/>, else the problems with its native field names.</summary>
    public static InboundResult Checked(Concern concern, Func<string, string>? nativePath = null)
    {
        var problems = Validate(concern);
        if (problems.Count == 0) return InboundResult.Success(concern);
        return InboundResult.Refused([.. problems.Select(p => nativePath is null ? p : p with { Field = nativePath(p.Field) })]);
    }
}
