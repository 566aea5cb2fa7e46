using System.Text;

namespace IntegrationHub.Tests.Fuzz;

/// <summary>Makes bad input from good: the mutations real senders and real attackers produce. Seeded, so a failure replays.</summary>
public sealed class Mutator(int seed)
{
    private readonly Random _random = new(seed);

    public static readonly string[] Strategies =
    [
        "truncate", "flip-byte", "delete-char", "insert-char", "wrong-type", "huge-string", "deep-nesting",
        "bad-nhs-number", "null-field", "duplicate-key", "not-utf8", "empty", "swap-brackets",
    ];

    private const string InsertChars = "{}[]\",:\\x\u0000";

    public (string Strategy, byte[] Body) Mutate(string json)
    {
        var strategy = Strategies[_random.Next(Strategies.Length)];
        return (strategy, strategy switch
        {
            "truncate" => Encoding.UTF8.GetBytes(json[.._random.Next(json.Length)]),
            "flip-byte" => Flip(Encoding.UTF8.GetBytes(json)),
            "delete-char" => Encoding.UTF8.GetBytes(json.Remove(_random.Next(json.Length), 1)),
            "insert-char" => Encoding.UTF8.GetBytes(json.Insert(_random.Next(json.Length), InsertChars[_random.Next(InsertChars.Length)].ToString())),
            "wrong-type" => Encoding.UTF8.GetBytes(WrongType(json)),
            "huge-string" => Encoding.UTF8.GetBytes(json.Replace("\"narrative\": \"", "\"narrative\": \"" + new string('A', 300_000), StringComparison.Ordinal)),
            "deep-nesting" => Encoding.UTF8.GetBytes("{\"child\": " + new string('[', 500) + new string(']', 500) + "}"),
            "bad-nhs-number" => Encoding.UTF8.GetBytes(System.Text.RegularExpressions.Regex.Replace(json, "999\\d{7}", _random.Next(1_000_000_000, int.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture))),
            "null-field" => Encoding.UTF8.GetBytes(System.Text.RegularExpressions.Regex.Replace(json, ":\\s*\"[^\"]*\"", ": null", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1))),
            "duplicate-key" => Encoding.UTF8.GetBytes(json.TrimEnd().TrimEnd('}') + ", \"narrative\": 42 }"),
            "not-utf8" => [0xff, 0xfe, 0x00, 0x7b, 0xc3, 0x28, 0xa0, 0xa1],
            "empty" => [],
            "swap-brackets" => Encoding.UTF8.GetBytes(json.Replace('{', '[').Replace('}', ']')),
            _ => throw new InvalidOperationException(strategy),
        });
    }

    private byte[] Flip(byte[] bytes)
    {
        for (var i = 0; i < 1 + _random.Next(4); i++) bytes[_random.Next(bytes.Length)] ^= (byte)(1 << _random.Next(8));
        return bytes;
    }

    private string WrongType(string json)
    {
        string[] values = ["123", "true", "[]", "{}", "\"text\"", "-1", "1e309", "null"];
        var quote = json.IndexOf(": ", _random.Next(json.Length / 2), StringComparison.Ordinal);
        if (quote < 0) return json + "x";
        var end = json.IndexOfAny([',', '}', ']'], quote + 2);
        return end < 0 ? json : json[..(quote + 2)] + values[_random.Next(values.Length)] + json[end..];
    }
}
