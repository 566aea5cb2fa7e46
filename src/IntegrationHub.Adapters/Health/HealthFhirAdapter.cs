using System.Text;
using System.Text.Json;
using System.Xml;
using Hl7.Fhir.Model;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Redaction;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;

namespace IntegrationHub.Adapters.Health;

/// <summary>
/// Reads a health referral sent as FHIR R4 (UK Core shaped) and maps it to a <c>Concern</c>.
/// Parsing is strict: a body that is not valid FHIR R4 is refused with the SDK's issues and their paths.
/// Stateless and thread-safe: register it as a singleton. See docs/fhir.md for the mapping.
/// </summary>
public sealed class HealthFhirAdapter
{
    private static readonly DeserializerSettings StrictSettings = new DeserializerSettings().UsingMode(DeserializationMode.Strict);
    private static readonly FhirJsonDeserializer JsonDeserializer = new(StrictSettings);
    private static readonly FhirXmlDeserializer XmlDeserializer = new(StrictSettings);

    private readonly TimeProvider _time;

    /// <summary>Uses the clock only to turn a related person's date of birth into an age.</summary>
    public HealthFhirAdapter(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Reads the bytes as sent. FHIR is UTF-8 in both formats: a byte-order mark is skipped, and bytes that are not
    /// UTF-8 (a Latin-1 "Zoë", say) are refused with where they are, rather than read as U+FFFD and routed with a
    /// name no one wrote, which would also break the child's key and every pattern linked by it.
    /// </summary>
    public AdapterResult Read(ReadOnlySpan<byte> body, FhirFormat format)
    {
        if (body.StartsWith(Encoding.UTF8.Preamble)) body = body[Encoding.UTF8.Preamble.Length..];
        try
        {
            return Read(StrictUtf8.GetString(body), format);
        }
        catch (DecoderFallbackException e)
        {
            var at = e.Index >= 0 ? $" at byte {e.Index + 1}" : "";
            return StructureFailure($"The body is not UTF-8{at}: FHIR is always sent as UTF-8.", null);
        }
    }

    /// <summary>Parses <paramref name="body"/> strictly and maps it; never throws for bad input.</summary>
    public AdapterResult Read(string body, FhirFormat format)
    {
        var parsed = Parse(body, format);
        if (parsed.Failure is not null)
        {
            return parsed.Failure;
        }

        if (parsed.Resource is not Bundle bundle)
        {
            return new AdapterResult.Failure(
                [AdapterIssue.Error(
                    OperationOutcome.IssueType.Invalid,
                    $"Expected a Bundle of type 'message' or 'collection'; got a {parsed.Resource!.TypeName}.",
                    "resourceType")],
                Unprocessable: true);
        }

        var today = LocalDates.Of(_time.GetUtcNow());
        return new ReferralMapper(bundle, today).Map();
    }

    /// <summary>Parses a FHIR resource strictly, without mapping it: for callers that need the resource itself.</summary>
    public static (Resource? Resource, AdapterResult.Failure? Failure) Parse(string body, FhirFormat format)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, StructureFailure("The body is empty.", null));
        }

        try
        {
            var resource = format switch
            {
                FhirFormat.Json => JsonDeserializer.DeserializeResource(body),
                FhirFormat.Xml => DeserializeXml(body),
                _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
            };
            return (resource, null);
        }
        catch (DeserializationFailedException e)
        {
            var root = (e.PartialResult as Resource)?.TypeName;
            var issues = e.Exceptions.Select(x => FromCoded(x, root)).ToList();
            return (null, new AdapterResult.Failure(issues, Unprocessable: false));
        }
        catch (JsonException e)
        {
            // System.Text.Json counts lines and bytes from zero; people count from one.
            var where = e.LineNumber is { } line ? $" (line {line + 1}, position {e.BytePositionInLine + 1})" : "";
            return (null, StructureFailure($"The body is not well-formed JSON{where}: {WithoutValues(FirstSentence(e.Message))}", null));
        }
        catch (XmlException e)
        {
            var where = e.LineNumber > 0 ? $" (line {e.LineNumber}, position {e.LinePosition})" : "";
            return (null, StructureFailure($"The body is not well-formed XML{where}: {WithoutValues(FirstSentence(e.Message))}", null));
        }
        catch (FormatException e)
        {
            return (null, StructureFailure($"The body is not FHIR: {WithoutValues(e.Message)}", null));
        }
        catch (InvalidOperationException e)
        {
            // The SDK's JSON deserializer throws this for some malformed shapes (found by fuzzing: an object where a
            // primitive belongs inside a list). Bad input is a 400, never a 500.
            return (null, StructureFailure($"The body is not valid FHIR: {WithoutValues(FirstSentence(e.Message))}", null));
        }
    }

    private static Resource DeserializeXml(string body)
    {
        // No DTDs and no external entities: the body comes from outside.
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var text = new StringReader(body);
        using var reader = XmlReader.Create(text, settings);
        return XmlDeserializer.DeserializeResource(reader);
    }

    private static AdapterResult.Failure StructureFailure(string message, string? expression) =>
        new([AdapterIssue.Error(OperationOutcome.IssueType.Structure, message, expression)], Unprocessable: false);

    private static AdapterIssue FromCoded(CodedException exception, string? root)
    {
        if (exception is not ExtendedCodedException extended)
        {
            return AdapterIssue.Error(OperationOutcome.IssueType.Structure, $"{exception.ErrorCode}: {WithoutValues(exception.Message)}");
        }

        return new AdapterIssue(
            extended.IssueSeverity,
            extended.IssueType,
            $"{extended.ErrorCode}: {WithoutValues(extended.Message)}",
            NormalisePath(extended.InstancePath, root));
    }

    /// <summary>The SDK names the root <c>$this</c> when it cannot tell the type; say the type when we know it.</summary>
    private static string? NormalisePath(string? path, string? root)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        var dollar = path.IndexOf("$this", StringComparison.Ordinal);
        if (dollar < 0)
        {
            return path;
        }

        var rest = path[(dollar + "$this".Length)..];
        var head = root is null or "DynamicResource" ? "" : root;
        var result = (head + rest).TrimStart('.');
        return result.Length == 0 ? null : result;
    }

    /// <summary>
    /// The SDK's and the parsers' messages quote the offending value (<c>Literal '2013-02-30' cannot be parsed as a
    /// date</c>). That value may be a date of birth or an NHS number, and over AMQP the message reaches the broker's
    /// fault header, MassTransit's log and the consume span, so the quoted values are replaced with <c>'…'</c>: the
    /// error code, the path and the line still say where the problem is, and the sender has its own body.
    /// </summary>
    internal static string WithoutValues(string message) => QuotedValues.Masked(message);

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).Trim();
    }
}
