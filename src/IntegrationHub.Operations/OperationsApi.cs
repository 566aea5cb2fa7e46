using IntegrationHub.Ingress.Problems;
using IntegrationHub.Operations.Agencies;
using IntegrationHub.Operations.Audit;
using IntegrationHub.Operations.Content;
using IntegrationHub.Operations.Deadlines;
using IntegrationHub.Operations.Failures;
using IntegrationHub.Operations.Flow;
using IntegrationHub.Operations.Lifecycle;
using IntegrationHub.Operations.Queues;
using IntegrationHub.Operations.Retention;
using IntegrationHub.Operations.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IntegrationHub.Operations;

/// <summary>
/// The console's data for scripts: <c>GET /api/v1/operations/...</c> for each page, and the same actions. Send a
/// console user's credentials as <c>Authorization: Basic</c>, or the operations key as <c>X-Api-Key</c> (an operator).
/// </summary>
public static class OperationsApi
{
    public sealed record ReasonRequest(string? Reason);

    public sealed record WhoAmI(string Name, string Role, IReadOnlyList<string> Roles);

    /// <summary>
    /// Refuses a request that changes something when a browser says it comes from another site (its <c>Origin</c>),
    /// whatever credentials it carries. Scripts and the host commands send no <c>Origin</c>.
    /// </summary>
    private static async ValueTask<object?> SameOriginOnly(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || !request.Headers.TryGetValue("Origin", out var origin))
            return await next(context);
        if (string.Equals(origin.ToString(), $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase))
            return await next(context);
        return HubProblems.Problem(StatusCodes.Status403Forbidden, "Cross-site request refused",
            detail: "The operations API takes no changes from a page of another site.");
    }

    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/operations").WithTags("Operations")
            .RequireAuthorization(OperationsAuthentication.ApiPolicy(OperatorRoles.Operator))
            .AddEndpointFilter(SameOriginOnly);

        api.MapGet("/whoami", (HttpContext http) =>
        {
            var op = http.User.OperatorOf();
            return Results.Ok(new WhoAmI(op.Name, op.Role, OperatorRoles.Implied(op.Role)));
        });
        api.MapGet("/flow", (FlowQueries q, int? latest, CancellationToken ct) => q.SnapshotAsync(latest ?? 50, ct))
            .WithSummary("Concerns in per agency and kind, deliveries out per recipient (hour, day, week), hourly chart, latest messages (metadata only).");
        api.MapGet("/queues", (QueueQueries q, CancellationToken ct) => q.SnapshotAsync(ct))
            .WithSummary("Depth, consumers and rates of every hub queue, error queues included.");
        api.MapGet("/failures", (FailureQueries q, CancellationToken ct) => q.OpenAsync(ct))
            .WithSummary("Routing failures and quarantined input, grouped by cause, with count and first/last seen.");
        api.MapPost("/failures/{id:guid}/retry", async (Guid id, bool? confirm, ReasonRequest? body, HttpContext http, FailureActions actions, CancellationToken ct) =>
            await actions.RetryAsync(id, http.User.OperatorOf(), body?.Reason, confirm == true, ct) is { } outcome ? Results.Ok(outcome) : HubProblems.NotFound("failure"))
            .WithSummary("Retry one failure: routing failures go through the protocol again; quarantined input is read again.")
            .WithDescription("Quarantined input its agency sent again after the refusal is not routed: result ResentLater, with laterCopies. " +
                             "Discard it, or retry it anyway with ?confirm=true (audited as QuarantineReplayedAnyway).");
        api.MapPost("/failures/groups/{cause}/retry", async (string cause, ReasonRequest? body, HttpContext http, FailureActions actions, CancellationToken ct) =>
            Results.Ok(await actions.RetryGroupAsync(cause, http.User.OperatorOf(), body?.Reason, ct)))
            .WithSummary("Retry every open failure with this cause: counts of retried, skipped (sent again later by the agency) and not retried, and each outcome.");
        api.MapPost("/failures/{id:guid}/discard", async (Guid id, ReasonRequest body, HttpContext http, FailureActions actions, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(body.Reason))
                return HubProblems.Problem(StatusCodes.Status400BadRequest, "Reason required", errors: [new FieldError("reason", "Say why it is discarded.")]);
            return await actions.DiscardAsync(id, http.User.OperatorOf(), body.Reason.Trim(), ct) is { } outcome ? Results.Ok(outcome) : HubProblems.NotFound("failure");
        }).WithSummary("Discard a failure with a reason; it stays in the audit log.");
        api.MapGet("/deadlines", (DeadlineQueries q, int? days, CancellationToken ct) => q.SnapshotAsync(days ?? 30, ct))
            .WithSummary("Deadlines set by decisions (return interviews, LADO, MASH): due and overdue, by agency and owner.");
        api.MapGet("/open-episodes", (LifecycleQueries q, CancellationToken ct) => q.OpenEpisodesAsync(ct))
            .WithSummary("Missing episodes with no found report Hub:Lifecycle:OpenEpisodeDays (7) or more after they started, oldest first, with their count: episode id, pseudonymous child key, reported, started, days open, known CSE risk, from care, reporting agency, the missing report's tracking id. Never the police reference.");
        api.MapGet("/insights", (InsightQueries q, int? days, CancellationToken ct) => q.SnapshotAsync(days ?? 30, ct))
            .WithSummary("Language feedback counts per agency; patterns and the MARP review list when the lifecycle is present.");
        api.MapGet("/patterns", (LifecycleQueries q, int? take, CancellationToken ct) => q.PatternsAsync(take ?? 500, ct))
            .WithSummary("Patterns of concern alerted (PAT-01): kind of link, a fingerprint of the key, pseudonymous child keys, agencies, first/last seen, status, recipients alerted. Never the key itself.");
        api.MapGet("/marp-review", async (LifecycleQueries q, string? month, CancellationToken ct) =>
            await q.MarpReviewListAsync(month, ct) is { } list ? Results.Ok(list)
                : HubProblems.Problem(StatusCodes.Status400BadRequest, "Unknown month", errors: [new FieldError("month", "Give the month as YYYY-MM.")]))
            .WithSummary("The MARP review list of a month (default: this month): pseudonymous child key, missing episodes, reason, when added. No identities: those go to the MARP's own key.");
        api.MapGet("/agencies", (AgencyKeys keys, CancellationToken ct) => keys.ListAsync(ct))
            .RequireAuthorization(OperationsAuthentication.ApiPolicy(OperatorRoles.Admin))
            .WithSummary("Each agency's key source (configured, issued, none) and the SHA-256 prefixes of the keys in force (admin).");
        api.MapPost("/agencies/{agency}/keys", async (string agency, ReasonRequest? body, HttpContext http, AgencyKeys keys, CancellationToken ct) =>
        {
            if (!AgencyKeys.TryParseAgency(agency, out var parsed))
                return HubProblems.NotFound("agency");
            if (string.IsNullOrWhiteSpace(body?.Reason))
                return HubProblems.Problem(StatusCodes.Status400BadRequest, "Reason required", errors: [new FieldError("reason", "Say why the key is issued.")]);
            var issued = await keys.IssueAsync(parsed, http.User.OperatorOf(), body.Reason, ct);
            http.Response.Headers.CacheControl = "no-store";
            return Results.Created($"/api/v1/operations/agencies", issued);
        }).RequireAuthorization(OperationsAuthentication.ApiPolicy(OperatorRoles.Admin))
            .WithSummary("Issue (rotate) an agency's API key (admin, reason required, audited). The key is in this answer only; the previous key stops working (after Hub:Security:KeyRotationGrace).");
        api.MapGet("/audit", (AuditQueries q, string? trackingId, string? childKey, int? take, CancellationToken ct) => q.SearchAsync(trackingId, childKey, take ?? 500, ct))
            .WithSummary("Audit entries of a message (tracking id) or child (pseudonymous key), or the latest entries.");
        api.MapPost("/audit/verify", (AuditQueries q, CancellationToken ct) => q.VerifyAsync(ct))
            .WithSummary("Checks the audit log's hash chain and names the first broken link.");
        api.MapPost("/messages/{trackingId:guid}/content", async (Guid trackingId, ReasonRequest body, HttpContext http, ContentOpening opening, CancellationToken ct) =>
        {
            // The answer holds a child's record: no cache may keep it.
            http.Response.Headers.CacheControl = "no-store";
            if (string.IsNullOrWhiteSpace(body.Reason) || body.Reason.Trim().Length < ContentOpening.MinimumReasonLength)
                return HubProblems.Problem(StatusCodes.Status400BadRequest, "Reason required",
                    errors: [new FieldError("reason", $"Say why you need to open this record (at least {ContentOpening.MinimumReasonLength} characters).")]);
            return await opening.OpenAsync(trackingId, http.User.OperatorOf(), body.Reason, ct) is { } opened ? Results.Ok(opened) : HubProblems.NotFound("message");
        }).RequireAuthorization(OperationsAuthentication.ApiPolicy(OperatorRoles.Supervisor))
            .WithSummary("A supervisor opens a message's content after giving a reason; audited, and the sending agency is told.");
        api.MapPost("/retention/purge", (RetentionPurger purger, HttpContext http, CancellationToken ct) => purger.PurgeAsync(http.User.OperatorOf(), vacuum: true, ct))
            .RequireAuthorization(OperationsAuthentication.ApiPolicy(OperatorRoles.Admin))
            .WithSummary("Purge content past its retention now (admin).");
        return app;
    }
}
