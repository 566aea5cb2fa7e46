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

    private static JsonSerializerOptions Create(bool strict)
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
        }
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
