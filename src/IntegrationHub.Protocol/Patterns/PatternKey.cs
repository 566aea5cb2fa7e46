using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace IntegrationHub.Protocol.Patterns;

/// <summary>A normalised key that can link children: the same car written <c>AB12 CDE</c> and <c>ab12cde</c> is one key.</summary>
public sealed record PatternKey(string Kind, string Value)
{
    /// <summary>The longest key stored: <c>patterns.Key</c> and <c>pattern_mentions.Key</c> are <c>varchar(256)</c>.</summary>
    public const int MaxLength = 256;

    /// <summary>
    /// The normalised key, or, when longer than <see cref="MaxLength"/> (a 300-character place name), <c>H:</c> and the
    /// hex SHA-256 of it: a longer key failed the whole message on PostgreSQL. The digest is deterministic, so the same long
    /// text still links children, and cannot be mistaken for a normalised key (none has a colon in upper case).
    /// </summary>
    public string Value { get; init; } = Bounded(Value);

    public static string Bounded(string value) =>
        value.Length <= MaxLength ? value : "H:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    public const string Person = "Person";
    public const string Alias = "Alias";
    public const string Postcode = "Postcode";
    public const string Place = "Place";
    public const string Uprn = "Uprn";
    public const string Vehicle = "Vehicle";
    public const string Phone = "Phone";
    public const string Handle = "Handle";
}

/// <summary>How each kind of key is normalised (docs/DOMAIN.md identifiers). Each returns null for what cannot be a key.</summary>
public static partial class PatternKeys
{
    /// <summary>VRM: upper case, letters and digits only (<c>ab12 cde</c> → <c>AB12CDE</c>).</summary>
    public static string? Vehicle(string? vrm)
    {
        if (string.IsNullOrWhiteSpace(vrm)) return null;
        var value = new string([.. vrm.Where(char.IsAsciiLetterOrDigit).Select(char.ToUpperInvariant)]);
        return value.Length is >= 2 and <= 8 ? value : null;
    }

    /// <summary>
    /// UK numbers in E.164 (<c>07700 900123</c>, <c>+44 (0)7700 900123</c>, <c>0044 7700 900123</c>, and
    /// <c>7700 900123</c> without its leading 0 → <c>+447700900123</c>); other international numbers keep their country code.
    /// </summary>
    public static string? Phone(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone)) return null;
        var text = phone.Trim().Replace("(0)", "", StringComparison.Ordinal);
        var plus = text.StartsWith('+');
        var digits = new string([.. text.Where(char.IsAsciiDigit)]);
        if (!plus && digits.StartsWith("00", StringComparison.Ordinal)) { digits = digits[2..]; plus = true; }
        if (!plus && digits.StartsWith('0') && digits.Length is 10 or 11) digits = "44" + digits[1..];
        else if (!plus && digits.StartsWith("44", StringComparison.Ordinal) && digits.Length is 11 or 12) { }
        // A UK number whose leading 0 was dropped (a spreadsheet holding it as a number). Only ten digits, the length of
        // every mobile and most landlines, starting where a UK number can (no UK number starts 04 or 06): nine digits, or
        // a tenth digit elsewhere, could as well be a reference number as a phone.
        else if (!plus && digits.Length == 10 && digits[0] is '1' or '2' or '3' or '5' or '7' or '8' or '9') digits = "44" + digits;
        else if (!plus) return null;
        if (digits.StartsWith("440", StringComparison.Ordinal)) digits = "44" + digits[3..];
        return digits.Length is >= 8 and <= 15 ? "+" + digits : null;
    }

    /// <summary>UK postcode: upper case with one space before the last three characters (<c>sn12ab</c> → <c>SN1 2AB</c>).</summary>
    public static string? Postcode(string? postcode)
    {
        if (string.IsNullOrWhiteSpace(postcode)) return null;
        var compact = new string([.. postcode.Where(char.IsAsciiLetterOrDigit).Select(char.ToUpperInvariant)]);
        if (!PostcodePattern().IsMatch(compact)) return null;
        return compact[..^3] + " " + compact[^3..];
    }

    /// <summary>A place name: upper case, single spaces, no punctuation, no accents.</summary>
    public static string? Place(string? place) => Words(place);

    public static string? Uprn(string? uprn)
    {
        if (string.IsNullOrWhiteSpace(uprn)) return null;
        var digits = uprn.Trim().TrimStart('0');
        return digits.Length is >= 1 and <= 12 && digits.All(char.IsAsciiDigit) ? digits : null;
    }

    /// <summary>A person by name and date of birth (<c>JOHN SMITH|1990-01-31</c>); a name alone is too common to link children.</summary>
    public static string? Person(string? name, DateOnly? dateOfBirth) =>
        Words(name) is { } n && dateOfBirth is { } dob ? $"{n}|{dob.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}" : null;

    /// <summary>An alias or nickname: upper case, single spaces.</summary>
    public static string? Alias(string? alias) => Words(alias);

    /// <summary>An online handle: lower case, without a leading @.</summary>
    public static string? Handle(string? handle)
    {
        if (string.IsNullOrWhiteSpace(handle)) return null;
        var value = handle.Trim().TrimStart('@').ToLowerInvariant();
        return value.Length > 0 ? value : null;
    }

    /// <summary>
    /// Upper case letters and digits in single-spaced words: spaces and hyphens part words, apostrophes of every form
    /// (<c>' ’ ‘ ʼ `</c>) are dropped (<c>O'Brien</c> and <c>O’Brien</c> → <c>OBRIEN</c>), accents are folded
    /// (<c>Zoë</c> → <c>ZOE</c>), other punctuation is dropped.
    /// </summary>
    private static string? Words(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var builder = new StringBuilder();
        // FormD splits an accented letter into the letter and its combining mark, which is then left out.
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark || c is '\'' or '\u2019' or '\u2018' or '\u02BC' or '`') continue;
            if (char.IsLetterOrDigit(c)) builder.Append(char.ToUpperInvariant(c));
            else if ((char.IsWhiteSpace(c) || c is '-') && builder.Length > 0 && builder[^1] != ' ') builder.Append(' ');
        }
        var value = builder.ToString().Trim();
        return value.Length > 0 ? value : null;
    }

    [GeneratedRegex("^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")]
    private static partial Regex PostcodePattern();
}
