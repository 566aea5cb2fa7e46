using System.Text.Json;
using System.Text.RegularExpressions;
using IntegrationHub.Contracts;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Referrals;
using IntegrationHub.Ingress.Problems;

namespace IntegrationHub.Ingress.Referrals;

/// <summary>Reads a body strictly and says, field by field, what is wrong with it.</summary>
public static partial class ConcernReader
{
    public sealed record Result(Concern? Concern, IReadOnlyList<FieldError> Errors)
    {
        public bool Ok => Concern is not null && Errors.Count == 0;
    }

    public static Result Read(ReadOnlySpan<byte> body)
    {
        var (concern, error) = ReadStrict<Concern>(body);
        if (concern is null) return new Result(null, [error!]);
        var errors = Validate(concern);
        return new Result(errors.Count == 0 ? concern : null, errors);
    }

    /// <summary>Reads any contract strictly: the value, or the one thing wrong with the body and where.</summary>
    public static (T? Value, FieldError? Error) ReadStrict<T>(ReadOnlySpan<byte> body) where T : class
    {
        try
        {
            var value = JsonSerializer.Deserialize<T>(body, ContractJson.Strict);
            return value is null ? (null, new FieldError("$", "The body is JSON null; send an object.")) : (value, null);
        }
        catch (JsonException ex)
        {
            return (null, Describe(ex));
        }
    }

    /// <summary>Checks that the parser cannot express: text that is present but empty, plausible ages.</summary>
    public static List<FieldError> Validate(Concern concern)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(concern.Narrative))
            errors.Add(new FieldError("narrative", "Required: say what happened, in your words."));
        if (concern.Child.NhsNumber is { } nhs && !NhsNumber.IsValid(nhs))
            errors.Add(new FieldError("child.nhsNumber", "Not a valid NHS number: ten digits whose last is the modulus-11 check digit. Leave it out if unknown."));
        if (concern.Child.AgeYears is < 0 or > 25)
            errors.Add(new FieldError("child.ageYears", "Must be between 0 and 25."));
        if (concern.SexualActivity?.OtherPersonAge is < 0 or > 120)
            errors.Add(new FieldError("sexualActivity.otherPersonAge", "Must be between 0 and 120."));
        if (concern.SexualActivity?.ChildAgeAtTime is < 0 or > 25)
            errors.Add(new FieldError("sexualActivity.childAgeAtTime", "Must be between 0 and 25."));
        for (var i = 0; i < concern.PersonsOfConcern.Count; i++)
            if (concern.PersonsOfConcern[i].AgeYears is < 0 or > 120)
                errors.Add(new FieldError($"personsOfConcern[{i}].ageYears", "Must be between 0 and 120."));
        return errors;
    }

    private static FieldError Describe(JsonException ex)
    {
        var where = ex.LineNumber is { } line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : "";
        var field = FieldOf(ex.Path);
        var message = ex.Message;
        if (MissingRequired().Match(message) is { Success: true } missing)
        {
            var names = Quoted().Matches(missing.Groups["names"].Value).Select(m => m.Groups[1].Value);
            var prefix = field == "$" ? "" : field + ".";
            return new FieldError(string.Join(", ", names.Select(n => prefix + n)), "Required field missing.");
        }
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
            return new FieldError(field, "Unknown field: check its spelling against contracts/schemas.");
        if (message.Contains("doesn't allow setting null values", StringComparison.Ordinal)
            || message.Contains("does not allow null", StringComparison.Ordinal))
            return new FieldError(field, "Must not be null.");
        if (ex.InnerException is null && ex.Path is null)
            return new FieldError("$", $"The body is not valid JSON{where}.");
        if (message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
            return new FieldError(field, $"Wrong type or value for this field{where}.");
        if (message.Contains("maximum configured depth", StringComparison.Ordinal))
            return new FieldError(field, "The JSON is nested too deeply.");
        return new FieldError(field, $"The body is not valid JSON{where}.");
    }

    /// <summary><c>$.child.ageYears</c> → <c>child.ageYears</c>; <c>$</c> stays.</summary>
    private static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "$" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    [GeneratedRegex("missing required properties including: (?<names>.*)$")]
    private static partial Regex MissingRequired();

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex Quoted();
}
