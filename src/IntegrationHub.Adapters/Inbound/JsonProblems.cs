using System.Text.Json;
using System.Text.RegularExpressions;

namespace IntegrationHub.Adapters.Inbound;

/// <summary>Turns System.Text.Json's exceptions into a field path and a message a sender can act on.</summary>
public static partial class JsonProblems
{
    public static InboundProblem Describe(JsonException ex)
    {
        var where = ex.LineNumber is { } line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : "";
        var field = FieldOf(ex.Path);
        var message = ex.Message;
        if (MissingRequired().Match(message) is { Success: true } missing)
        {
            var names = Quoted().Matches(missing.Groups["names"].Value).Select(m => m.Groups[1].Value);
            var prefix = field == "$" ? "" : field + ".";
            return new InboundProblem(string.Join(", ", names.Select(n => prefix + n)), "Required field missing.");
        }
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
            return new InboundProblem(field, "Unknown field: check its spelling against the published schema.");
        if (message.Contains("doesn't allow setting null values", StringComparison.Ordinal)
            || message.Contains("does not allow null", StringComparison.Ordinal))
            return new InboundProblem(field, "Must not be null.");
        if (message.StartsWith("The text contains a NUL character", StringComparison.Ordinal))
            return new InboundProblem(field, "Contains a NUL character (\\u0000), which cannot be stored; remove it.");
        if (ex.InnerException is null && ex.Path is null)
            return new InboundProblem("$", $"The body is not valid JSON{where}.");
        if (message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
            return new InboundProblem(field, $"Wrong type or value for this field{where}.");
        if (message.Contains("maximum configured depth", StringComparison.Ordinal))
            return new InboundProblem(field, "The JSON is nested too deeply.");
        return new InboundProblem(field, $"The body is not valid JSON{where}.");
    }

    /// <summary><c>$.child.ageYears</c> → <c>child.ageYears</c>; <c>$</c> stays.</summary>
    private static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "$" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    [GeneratedRegex("missing required properties including: (?<names>.*)$")]
    private static partial Regex MissingRequired();

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex Quoted();
}
