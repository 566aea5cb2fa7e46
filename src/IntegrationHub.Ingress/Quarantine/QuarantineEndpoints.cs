using IntegrationHub.Contracts.Common;
using IntegrationHub.Ingress.Amqp;
using IntegrationHub.Ingress.Inbound;
using IntegrationHub.Ingress.Problems;
using IntegrationHub.Ingress.Referrals;
using IntegrationHub.Ingress.Security;
using IntegrationHub.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Ingress.Quarantine;

public static class QuarantineEndpoints
{
    /// <summary>A quarantined input as operations see it: metadata and the reason, never the body.</summary>
    public sealed record QuarantineItem(Guid Id, DateTimeOffset At, string? Agency, string Channel, string? Kind, string? ContentType,
        string Reason, int BodyLength, string Status, Guid? ReplayedAs);

    public sealed record QuarantineList(int Count, int Held, IReadOnlyList<QuarantineItem> Items);

    public sealed record DiscardRequest(string Reason);

    public static IEndpointRouteBuilder MapQuarantineEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/quarantine").WithTags("Quarantine");
        group.MapGet("", List).WithName("ListQuarantine")
            .WithSummary("Refused input kept whole: counts and metadata (operations key).")
            .Produces<QuarantineList>();
        group.MapPost("/{id:guid}/replay", Replay).WithName("ReplayQuarantine")
            .WithSummary("Read a quarantined body again and, if it now reads, route it (operations key).")
            .WithDescription("409 ResentLater, with laterCopies, when the agency has sent it again since it was refused: nothing is routed. " +
                             "Discard it, or replay it anyway with ?confirm=true.");
        group.MapPost("/{id:guid}/discard", Discard).WithName("DiscardQuarantine")
            .WithSummary("Discard a quarantined body with a reason (operations key); the record stays for audit.");
        return app;
    }

    private static async Task<IResult> List(HttpContext http, IDbContextFactory<HubDbContext> dbFactory, string? status, int? take, CancellationToken ct)
    {
        if (Authentication.RequireOperations(http, out _) is { } denied) return denied;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Quarantine.AsNoTracking();
        if (Enum.TryParse<QuarantineStatus>(status, ignoreCase: true, out var s)) query = query.Where(q => q.Status == s);
        var count = await query.CountAsync(ct);
        var held = await db.Quarantine.CountAsync(q => q.Status == QuarantineStatus.Held, ct);
        var items = await query.OrderByDescending(q => q.At).Take(Math.Clamp(take ?? 100, 1, 1000))
            .Select(q => new QuarantineItem(q.Id, q.At, q.Agency, q.Channel, q.Kind, q.ContentType, q.Reason, q.BodyLength, q.Status.ToString(), q.ReplayedAs))
            .ToListAsync(ct);
        return Results.Ok(new QuarantineList(count, held, items));
    }

    /// <param name="confirm">True: replay it even though the agency has sent it again since (the operator has seen the later copies).</param>
    private static async Task<IResult> Replay(Guid id, bool? confirm, HttpContext http, IDbContextFactory<HubDbContext> dbFactory, QuarantineReplayer replayer,
        AgencyErrorQueues errorQueues, TimeProvider clock, CancellationToken ct)
    {
        if (Authentication.RequireOperations(http, out var caller) is { } denied) return denied;
        QuarantineRecord? record;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            record = await db.Quarantine.AsNoTracking().FirstOrDefaultAsync(q => q.Id == id, ct);
        if (record is null) return HubProblems.NotFound("quarantined input");
        var replay = await replayer.ReplayAsync(record, confirm == true, r => r.ReplayedAnyway
            ? new AuditEntry
            {
                At = clock.GetUtcNow(), TrackingId = r.TrackingId, Event = "QuarantineReplayedAnyway", Actor = caller!.Name,
                Detail = $"quarantine {id} replayed on confirmation although sent again later as {LaterCopies.Describe(r.LaterCopies!)}",
            }
            : new AuditEntry
            {
                At = clock.GetUtcNow(), TrackingId = r.TrackingId, Event = "QuarantineReplayed", Actor = caller!.Name,
                Detail = $"quarantine {id} replayed",
            }, ct);
        if (replay.ResentLater)
            return HubProblems.Problem(StatusCodes.Status409Conflict, "Sent again later",
                $"{record.Agency} sent this again after it was refused, and that was routed: {LaterCopies.Describe(replay.LaterCopies!)}. Nothing was routed now. " +
                $"Discard it (POST /api/v1/quarantine/{id}/discard with a reason), or replay it anyway with POST /api/v1/quarantine/{id}/replay?confirm=true.",
                extensions: new Dictionary<string, object?> { ["result"] = replay.Outcome, ["laterCopies"] = replay.LaterCopies });
        if (replay.Status == StatusCodes.Status409Conflict) await RemoveCopyAsync(errorQueues, record, ct);
        if (!replay.Accepted || replay.Status == StatusCodes.Status409Conflict)
            return HubProblems.Problem(replay.Status, replay.Status == StatusCodes.Status409Conflict ? "Already handled" : "Cannot replay",
                replay.Outcome, replay.Errors);
        var trackingId = replay.TrackingId!.Value;
        await RemoveCopyAsync(errorQueues, record, ct);
        return Results.Accepted($"/api/v1/decisions/{trackingId}",
            new ConcernEndpoints.ConcernAccepted(trackingId, "Received", $"/api/v1/decisions/{trackingId}"));
    }

    private static async Task<IResult> Discard(Guid id, DiscardRequest request, HttpContext http, IDbContextFactory<HubDbContext> dbFactory,
        AgencyErrorQueues errorQueues, TimeProvider clock, CancellationToken ct)
    {
        if (Authentication.RequireOperations(http, out var caller) is { } denied) return denied;
        if (string.IsNullOrWhiteSpace(request.Reason))
            return HubProblems.Problem(StatusCodes.Status400BadRequest, "Reason required", errors: [new FieldError("reason", "Say why it is discarded.")]);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = await db.Quarantine.AsNoTracking().FirstOrDefaultAsync(q => q.Id == id, ct);
        if (record is null) return HubProblems.NotFound("quarantined input");
        var discard = await QuarantineStatusChanges.DiscardAsync(db, id,
            new AuditEntry { At = clock.GetUtcNow(), Event = "QuarantineDiscarded", Actor = caller!.Name, Detail = $"quarantine {id}: {request.Reason}" }, ct);
        if (discard is { ReplayUnfinished: true })
            return HubProblems.Problem(StatusCodes.Status409Conflict, "Replay not finished",
                $"A replay of this input was started (as {discard.ReplayedAs}) and has not finished, so it may have been routed: it is not discarded. " +
                $"Replay it again (POST /api/v1/quarantine/{id}/replay): it is routed once and marked replayed, or, if it is still refused, it can be discarded.");
        await RemoveCopyAsync(errorQueues, record, ct);
        return discard is { Discarded: true }
            ? Results.NoContent()
            : HubProblems.Problem(StatusCodes.Status409Conflict, "Already handled", $"This input is {discard?.Status}.");
    }

    /// <summary>
    /// Input refused over AMQP also has a copy in its agency's error queue: once replayed or discarded, that copy goes.
    /// A second press (409) removes a copy that reached the queue after the first.
    /// </summary>
    private static async Task RemoveCopyAsync(AgencyErrorQueues errorQueues, QuarantineRecord record, CancellationToken ct)
    {
        if (errorQueues.HasCopy(record)) await errorQueues.RemoveAsync([record.Id], ct);
    }
}
