using System.Text.Json;
using System.Text.Json.Serialization;

namespace IntegrationHub.Contracts;

/// <summary>How the hub writes and reads its contracts as JSON: camelCase names, enums as their names, ISO 8601 dates.</summary>
public static class ContractJson
{
    /// <summary>Options for writing contracts and for tolerant reading.</summary>
    public static readonly JsonSerializerOptions Options = Create(strict: false);

    /// <summary>
    /// Options for reading what an agency sends: unknown properties, missing required properties and nulls where
    /// the contract has no null are errors, so a typo is reported rather than silently dropped.
    /// </summary>
    public static readonly JsonSerializerOptions Strict = Create(strict: true);

    /// <summary>
    /// <see cref="Strict"/>'s shape without its NUL check, for the published schemas: a custom converter has no schema,
    /// so with it every string would be exported as "anything".
    /// </summary>
    internal static readonly JsonSerializerOptions StrictShape = Create(strict: true, refuseNul: false);

    /// <summary>
    /// The body without a leading UTF-8 byte-order mark. JSON lets a sender add one (RFC 8259 8.1; Windows tools often
    /// do), and System.Text.Json does not skip it in bytes: without this a concern from such a system is refused at
    /// "line 1, byte 1" and could never be replayed.
    /// </summary>
    public static ReadOnlySpan<byte> WithoutByteOrderMark(ReadOnlySpan<byte> body) =>
        body.StartsWith("\uFEFF"u8) ? body[3..] : body;

    /// <summary>
    /// Refuses a string holding U+0000: PostgreSQL cannot store it in text, so such a value would fail every attempt to
    /// record the message (and quarantine could not keep a reason that repeats it). Said without repeating the value.
    /// </summary>
    private sealed class TextWithoutNul : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var value = reader.GetString();
            return value is not null && value.Contains('\0')
                ? throw new JsonException("The text contains a NUL character (\\u0000), which cannot be stored; remove it.")
                : value;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }

    private static JsonSerializerOptions Create(bool strict, bool refuseNul = true)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            MaxDepth = 32,
        };
        if (strict)
        {
            options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            options.RespectNullableAnnotations = true;
            options.RespectRequiredConstructorParameters = true;
            options.PropertyNameCaseInsensitive = false;
            if (refuseNul) options.Converters.Add(new TextWithoutNul());
        }
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
