using IntegrationHub.Adapters.Inbound;
using IntegrationHub.Ingress.Problems;
using IntegrationHub.Ingress.Quarantine;
using IntegrationHub.Ingress.Security;
using IntegrationHub.Ingress.Inbound;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Ingress.Referrals;

public static class ConcernEndpoints
{
    public const string Channel = "http";

    public static IEndpointRouteBuilder MapConcernEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/concerns", PostConcern)
            .WithName("PostConcern")
            .WithSummary("An agency raises a concern about a child.")
            .WithDescription("Send the Concern contract as JSON with your agency's X-Api-Key. The agency is taken from the key. " +
                             "Returns 202 with a tracking id; read the decision at the Location. Refused bodies are kept in quarantine.")
            .Produces<ConcernAccepted>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    /// <summary>The 202 body.</summary>
    public sealed record ConcernAccepted(Guid TrackingId, string Status, string Decision);

    private static async Task<IResult> PostConcern(HttpContext http, ConcernIntake intake, CancellationToken ct)
    {
        var (gate, problem) = await IngressGate.OpenAsync(http, Channel, InboundKinds.ConcernKind);
        if (problem is not null) return problem;
        var agency = gate!.Agency;

        var read = ConcernReader.Read(gate.Body.Bytes);
        if (!read.Ok)
            return await gate.RefuseAsync(StatusCodes.Status400BadRequest, "The concern could not be read", "invalid", read.Errors);
        var idempotencyKey = http.Request.Headers["Idempotency-Key"].FirstOrDefault();
        var outcome = await intake.AcceptAsync(agency, read.Concern!, InboundChannel.Received(Channel, idempotencyKey, gate.Body.Bytes), ct);
        if (!outcome.Accepted) return await gate.RefuseAsync(outcome.Status, outcome.Title!, outcome.ReasonCode!, outcome.Errors);
        var accepted = (TrackingId: outcome.TrackingId!.Value, outcome.Duplicate);
        var location = $"/api/v1/decisions/{accepted.TrackingId}";
        return Results.Accepted(location, new ConcernAccepted(accepted.TrackingId, accepted.Duplicate ? "AlreadyReceived" : "Received", location));
    }
}
