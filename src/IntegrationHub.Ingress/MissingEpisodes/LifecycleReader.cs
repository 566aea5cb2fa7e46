using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Contracts;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Ingress.Problems;
using IntegrationHub.Ingress.Referrals;

namespace IntegrationHub.Ingress.MissingEpisodes;

/// <summary>
/// Reads a missing report, found report or return interview as an agency sends it: the contract without the fields the
/// hub sets (<c>trackingId</c>, <c>receivedAt</c>; <c>agency</c> is optional and must be the caller's). Strict, like concerns.
/// </summary>
public static class LifecycleReader
{
    public sealed record Result<T>(T? Value, IReadOnlyList<FieldError> Errors, bool AgencyMismatch) where T : class
    {
        public bool Ok => Value is not null && Errors.Count == 0;
    }

    public static Result<T> Read<T>(ReadOnlySpan<byte> body, Agency agency) where T : class
    {
        JsonObject? node;
        try
        {
            node = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 32 }) as JsonObject;
        }
        catch (JsonException)
        {
            return new Result<T>(null, [new FieldError("$", "The body is not valid JSON.")], false);
        }
        if (node is null) return new Result<T>(null, [new FieldError("$", "Send a JSON object.")], false);

        if (node["agency"] is JsonValue claimed && !string.Equals(claimed.ToString(), agency.ToString(), StringComparison.Ordinal))
            return new Result<T>(null, [new FieldError("agency", $"The body claims '{claimed}' but the key belongs to '{agency}'. An agency can only send as itself.")], true);
        node["agency"] = agency.ToString();
        node["trackingId"] = Guid.Empty;
        node["receivedAt"] = DateTimeOffset.UnixEpoch;

        var (value, error) = ConcernReader.ReadStrict<T>(JsonSerializer.SerializeToUtf8Bytes(node, ContractJson.Options));
        if (value is null) return new Result<T>(null, [error!], false);
        var errors = new List<FieldError>();
        var child = (ChildDetails?)typeof(T).GetProperty("Child")?.GetValue(value);
        if (child?.NhsNumber is { } nhs && !NhsNumber.IsValid(nhs))
            errors.Add(new FieldError("child.nhsNumber", "Not a valid NHS number: ten digits whose last is the modulus-11 check digit. Leave it out if unknown."));
        if (typeof(T).GetProperty("PoliceReference")?.GetValue(value) is not string reference || string.IsNullOrWhiteSpace(reference) || reference.Length > 128)
            errors.Add(new FieldError("policeReference", "Required: the police occurrence reference of the missing episode (at most 128 characters)."));
        return new Result<T>(errors.Count == 0 ? value : null, errors, false);
    }
}
