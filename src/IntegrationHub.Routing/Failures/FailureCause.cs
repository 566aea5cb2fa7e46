using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using IntegrationHub.Redaction;

namespace IntegrationHub.Routing.Failures;

/// <summary>
/// Groups failures by cause: the exception type and the shape of its message, with quoted values, ids and numbers
/// masked so that neither personal data nor per-message detail reaches the failures table or a metric tag.
/// </summary>
public static partial class FailureCause
{
    public static string ShapeOf(string? message)
    {
        if (string.IsNullOrWhiteSpace(message)) return "";
        var s = QuotedValues.Masked(message);
        s = Guids().Replace(s, "{id}");
        s = Numbers().Replace(s, "#");
        return s.Length > 1000 ? s[..1000] : s;
    }

    public static string KeyOf(string exceptionType, string shape) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(exceptionType + "\n" + shape)))[..16];

    [GeneratedRegex("[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")]
    private static partial Regex Guids();

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Numbers();
}
