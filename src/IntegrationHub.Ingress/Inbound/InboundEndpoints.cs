using IntegrationHub.Adapters.Inbound;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IntegrationHub.Ingress.Inbound;

/// <summary>Agencies send their own formats over HTTP: <c>POST /api/v1/inbound/{kind}</c> (docs/agencies.md).</summary>
public static class InboundEndpoints
{
    public const string Channel = "http";

    public sealed record InboundAccepted(Guid TrackingId, string Status, string Decision);

    public sealed record KindView(string Name, string? OnlyFrom, string Description);

    public static IEndpointRouteBuilder MapInboundEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/inbound/{kind}", Post)
            .WithName("PostInbound")
            .WithTags("Agencies")
            .WithSummary("An agency sends a message in its own format (PPD1, DSL concern, probation or YOT concern, missing/found report...).")
            .WithDescription("The kind selects the adapter; GET /api/v1/inbound lists them. The agency comes from X-Api-Key. " +
                             "202 with a tracking id; refused bodies are kept in quarantine and answered with a problem naming each field.")
            .Produces<InboundAccepted>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        app.MapGet("/api/v1/inbound", (InboundKinds kinds) => kinds.All.Select(k => new KindView(k.Name, k.OnlyFrom?.ToString(), k.Description)))
            .WithName("ListInboundKinds")
            .WithTags("Agencies")
            .WithSummary("The kinds of message the hub reads, and which agency sends each.");
        return app;
    }

    private static async Task<IResult> Post(string kind, HttpContext http, InboundDispatcher dispatcher, CancellationToken ct)
    {
        var (gate, problem) = await IngressGate.OpenAsync(http, Channel, kind);
        if (problem is not null) return problem;
        var idempotencyKey = http.Request.Headers["Idempotency-Key"].FirstOrDefault();
        var outcome = await dispatcher.DispatchAsync(gate!.Agency, kind, gate.Body.Bytes,
            InboundChannel.Received(Channel, idempotencyKey, gate.Body.Bytes), ct);
        if (!outcome.Accepted) return await gate.RefuseAsync(outcome.Status, outcome.Title!, outcome.ReasonCode!, outcome.Errors);
        var location = $"/api/v1/decisions/{outcome.TrackingId}";
        return Results.Accepted(location, new InboundAccepted(outcome.TrackingId!.Value, outcome.Duplicate ? "AlreadyReceived" : "Received", location));
    }
}
