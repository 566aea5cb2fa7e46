using System.Text.RegularExpressions;

namespace IntegrationHub.Redaction;

/// <summary>
/// Error text with its quoted literals masked. Parsers and the database quote the value they refused
/// (<c>Literal '2013-02-30' cannot be parsed as a date</c>), and that value may be a date of birth, a name or an NHS
/// number: masked, the text can go to a log, a span, a fault header or the failures table and still say what went wrong.
/// </summary>
/// <remarks>
/// One source compiled into each assembly that needs it (a linked file, see the projects), so that the adapters, which
/// depend on the contracts alone, and routing need no common project for one expression.
/// </remarks>
internal static partial class QuotedValues
{
    /// <summary>Every <c>"…"</c> and <c>'…'</c> in <paramref name="text"/> replaced with <c>'…'</c>.</summary>
    public static string Masked(string text) => Quoted().Replace(text, "'…'");

    [GeneratedRegex("(\"[^\"]*\"|'[^']*')")]
    private static partial Regex Quoted();
}
