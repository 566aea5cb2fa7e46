using IntegrationHub.Ingress.Problems;
using IntegrationHub.Ingress.Quarantine;
using IntegrationHub.Ingress.Security;
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
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }

    /// <summary>The 202 body.</summary>
    public sealed record ConcernAccepted(Guid TrackingId, string Status, string Decision);

    private static async Task<IResult> PostConcern(HttpContext http, ConcernIntake intake, QuarantineStore quarantine,
        IOptions<IngressOptions> options, CancellationToken ct)
    {
        var (caller, problem) = Authentication.Authenticate(http);
        if (problem is not null) return problem;
        if (caller!.IsOperations) return HubProblems.Forbidden("The operations key cannot raise concerns; use your agency's key.");
        var agency = caller.Agency!.Value;

        var body = await BodyReader.ReadAsync(http.Request, options.Value.MaxBodyBytes, options.Value.QuarantineKeepBytes, ct);
        var contentType = http.Request.ContentType;

        async Task<IResult> Refuse(int status, string title, string reasonCode, IReadOnlyList<FieldError> errors)
        {
            var reason = $"{title}: " + string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}"));
            var id = await quarantine.AddAsync(agency.ToString(), Channel, contentType, reasonCode, reason, body.Bytes, body.Length, ct);
            return HubProblems.Problem(status, title, "The body was kept in quarantine; operations can see and replay it.", errors, id);
        }

        if (body.TooLarge)
            return await Refuse(StatusCodes.Status413PayloadTooLarge, "Body too large", "too-large",
                [new FieldError("$", $"The body is {body.Length} bytes; the most accepted is {options.Value.MaxBodyBytes}.")]);
        if (!BodyReader.IsJson(contentType))
            return await Refuse(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type", "content-type",
                [new FieldError("Content-Type", $"Expected application/json, got '{contentType ?? "none"}'.")]);

        var read = ConcernReader.Read(body.Bytes);
        if (!read.Ok)
            return await Refuse(StatusCodes.Status400BadRequest, "The concern could not be read", "invalid", read.Errors);
        if (read.Concern!.Agency is { } claimed && claimed != agency)
            return await Refuse(StatusCodes.Status403Forbidden, "Agency mismatch", "agency-mismatch",
                [new FieldError("agency", $"The body claims '{claimed}' but the key belongs to '{agency}'. An agency can only send as itself.")]);

        var idempotencyKey = http.Request.Headers["Idempotency-Key"].FirstOrDefault();
        var accepted = await intake.AcceptAsync(agency, read.Concern, Channel, string.IsNullOrWhiteSpace(idempotencyKey) ? null : idempotencyKey, ct);
        var location = $"/api/v1/decisions/{accepted.TrackingId}";
        return Results.Accepted(location, new ConcernAccepted(accepted.TrackingId, accepted.Duplicate ? "AlreadyReceived" : "Received", location));
    }
}
