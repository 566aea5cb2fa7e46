using IntegrationHub.Ingress.Problems;
using IntegrationHub.Ingress.Quarantine;
using IntegrationHub.Ingress.Security;
using IntegrationHub.Protocol;
using IntegrationHub.Protocol.Sharing;
using IntegrationHub.Routing.Sharing;
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

    private static async Task<IResult> PostConcern(HttpContext http, ConcernIntake intake, SharingProtocol protocol,
        ChildKeys childKeys, TimeProvider clock, CancellationToken ct)
    {
        var (gate, problem) = await IngressGate.OpenAsync(http, Channel);
        if (problem is not null) return problem;
        var agency = gate!.Agency;

        var read = ConcernReader.Read(gate.Body.Bytes);
        if (!read.Ok)
            return await gate.RefuseAsync(StatusCodes.Status400BadRequest, "The concern could not be read", "invalid", read.Errors);
        if (read.Concern!.Agency is { } claimed && claimed != agency)
            return await gate.RefuseAsync(StatusCodes.Status403Forbidden, "Agency mismatch", "agency-mismatch",
                [new FieldError("agency", $"The body claims '{claimed}' but the key belongs to '{agency}'. An agency can only send as itself.")]);

        var concern = read.Concern;
        string? childKey = null;
        if (concern.AnonymousConsultationRequested)
        {
            var now = clock.GetUtcNow();
            if (AnonymousConsultation.Check(ConcernFacts.AgeOf(concern.Child, now), protocol.Options) is { } refusal)
                return await gate.RefuseAsync(StatusCodes.Status422UnprocessableEntity, "Anonymous consultation refused", $"anonymous-refused:{refusal.RuleId}",
                    [new FieldError("anonymousConsultationRequested", $"{refusal.RuleId}: {refusal.Reason} Send the concern again with anonymousConsultationRequested false.")]);
            // Y13-03: the key is taken from the identifiers, then the identifiers are gone before anything is stored.
            childKey = childKeys.For(concern.Child);
            concern = AnonymousConsultation.Strip(concern, now);
        }

        var idempotencyKey = http.Request.Headers["Idempotency-Key"].FirstOrDefault();
        var accepted = await intake.AcceptAsync(agency, concern, Channel, string.IsNullOrWhiteSpace(idempotencyKey) ? null : idempotencyKey, ct, childKey);
        var location = $"/api/v1/decisions/{accepted.TrackingId}";
        return Results.Accepted(location, new ConcernAccepted(accepted.TrackingId, accepted.Duplicate ? "AlreadyReceived" : "Received", location));
    }
}
