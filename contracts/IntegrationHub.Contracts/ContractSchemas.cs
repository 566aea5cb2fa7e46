using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using IntegrationHub.Contracts.Deadlines;
using IntegrationHub.Contracts.MissingEpisodes;
using IntegrationHub.Contracts.Patterns;
using IntegrationHub.Contracts.Referrals;
using IntegrationHub.Contracts.ReturnInterviews;
using IntegrationHub.Contracts.Sharing;

namespace IntegrationHub.Contracts;

/// <summary>JSON Schemas of the contracts, for publishers and recipients that are not .NET (published under contracts/schemas/).</summary>
public static class ContractSchemas
{
    /// <summary>Every message, and the bodies agencies send, that has a published schema.</summary>
    public static readonly IReadOnlyList<Type> Published =
    [
        typeof(Concern),
        typeof(ConcernRaised),
        typeof(ChildReportedMissing),
        typeof(ChildFound),
        typeof(ReturnInterviewCompleted),
        typeof(DecisionNotToShare),
        typeof(DecisionNotToShareRecorded),
        typeof(RoutingDecision),
        typeof(ConcernRouted),
        typeof(ConcernShared),
        typeof(DecisionNotToShareRejected),
        typeof(RecordOpened),
        typeof(ChildMissingShared),
        typeof(ReturnInterviewRequested),
        typeof(ReturnInterviewShared),
        typeof(ChildAddedToMarpReviewList),
        typeof(DeadlineOverdue),
        typeof(PatternOfConcernDetected),
        typeof(PatternOfConcernUpdated),
    ];

    /// <summary>The schema of <paramref name="type"/> as the hub reads it: unknown properties refused, required ones named.</summary>
    public static string Generate(Type type)
    {
        var schema = JsonSchemaExporter.GetJsonSchemaAsNode(ContractJson.StrictShape, type,
            new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true });
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = $"https://integrationhub.dev/schemas/{type.Name}.schema.json",
            ["title"] = type.Name,
        };
        foreach (var (key, value) in schema.AsObject()) root[key] = value?.DeepClone();
        return root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}
