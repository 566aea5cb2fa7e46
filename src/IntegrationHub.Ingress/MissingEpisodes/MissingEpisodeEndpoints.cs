using System.Globalization;
using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.MissingEpisodes;
using IntegrationHub.Contracts.ReturnInterviews;
using IntegrationHub.Ingress.Inbound;
using IntegrationHub.Ingress.Problems;
using IntegrationHub.Ingress.Security;
using IntegrationHub.Lifecycle.Intake;
using IntegrationHub.Persistence;
using IntegrationHub.Persistence.Lifecycle;
using IntegrationHub.Routing.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Ingress.MissingEpisodes;

public static class MissingEpisodeEndpoints
{
    public const string Channel = "http";

    public static IEndpointRouteBuilder MapMissingEpisodeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/missing-reports", (HttpContext http, LifecycleIntake intake, CancellationToken ct) =>
                PostAsync<ChildReportedMissing>(http, policeOnly: true, (agency, body, key) => intake.AcceptAsync(agency, body, Channel, key, ct)))
            .WithName("PostMissingReport")
            .WithSummary("The police report a child missing (ChildReportedMissing without trackingId and receivedAt).")
            .Produces<Accepted>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status409Conflict);
        app.MapPost("/api/v1/found-reports", (HttpContext http, LifecycleIntake intake, CancellationToken ct) =>
                PostAsync<ChildFound>(http, policeOnly: true, (agency, body, key) => intake.AcceptAsync(agency, body, Channel, key, ct)))
            .WithName("PostFoundReport")
            .WithSummary("The police report a missing child found or returned (ChildFound); the 72-hour return-interview clock starts.")
            .Produces<Accepted>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status409Conflict);
        app.MapPost("/api/v1/return-interviews", (HttpContext http, LifecycleIntake intake, CancellationToken ct) =>
                PostAsync<ReturnInterviewCompleted>(http, policeOnly: false, (agency, body, key) => intake.AcceptAsync(agency, body, Channel, key, ct)))
            .WithName("PostReturnInterview")
            .WithSummary("The interviewer's service reports a return interview completed, declined or not located (ReturnInterviewCompleted).")
            .Produces<Accepted>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status409Conflict);
        app.MapGet("/api/v1/missing-episodes/{id:guid}", GetEpisode)
            .WithName("GetMissingEpisode")
            .WithSummary("A missing episode: its state, its history with times, and its return-interview clock. No names.")
            .Produces<EpisodeView>();
        app.MapGet("/api/v1/deadlines", GetDeadlines)
            .WithName("GetDeadlines")
            .WithSummary("Operations board: deadlines by state (Open, Overdue, Met), with escalations. Operations key.");
        app.MapPost("/api/v1/deadlines/{id:guid}/met", MarkMet)
            .WithName("MarkDeadlineMet")
            .WithSummary("Operations record that a MASH decision or LADO referral was made (until recipient outcomes flow back through the hub). Operations key.");
        app.MapGet("/api/v1/marp/review-list", GetReviewList)
            .WithName("GetMarpReviewList")
            .WithSummary("The MARP's monthly review list (MIS-01): pseudonymous keys for operators, identities for the MARP key.");
        return app;
    }

    /// <summary>The 202 body.</summary>
    public sealed record Accepted(Guid TrackingId, string Status, Guid EpisodeId, string Episode, string Decision);

    private static async Task<IResult> PostAsync<T>(HttpContext http, bool policeOnly,
        Func<Agency, T, string?, Task<LifecycleIntake.Accepted>> accept) where T : class
    {
        var (gate, problem) = await IngressGate.OpenAsync(http, Channel, typeof(T).Name);
        if (problem is not null) return problem;
        if (policeOnly && gate!.Agency != Agency.Police)
            return await gate.RefuseAsync(StatusCodes.Status403Forbidden, "Only the police report missing and found children", "not-police",
                [new FieldError("X-Api-Key", $"{typeof(T).Name} comes from the police; '{gate.Agency}' should tell the police.")]);
        var read = LifecycleReader.Read<T>(gate!.Body.Bytes, gate.Agency);
        if (!read.Ok)
            return read.AgencyMismatch
                ? await gate.RefuseAsync(StatusCodes.Status403Forbidden, "Agency mismatch", "agency-mismatch", read.Errors)
                : await gate.RefuseAsync(StatusCodes.Status400BadRequest, $"The {typeof(T).Name} could not be read", "invalid", read.Errors);

        var idempotencyKey = http.Request.Headers["Idempotency-Key"].FirstOrDefault();
        var accepted = await accept(gate.Agency, read.Value!, string.IsNullOrWhiteSpace(idempotencyKey) ? null : idempotencyKey);
        if (accepted.KeyReused)
            return await gate.RefuseAsync(StatusCodes.Status409Conflict, IntakeOutcome.KeyReusedTitle, ReusedKeys.ReasonCode, [IntakeOutcome.KeyReusedError(Channel)]);
        var episode = $"/api/v1/missing-episodes/{accepted.EpisodeId}";
        return Results.Accepted(episode, new Accepted(accepted.TrackingId, accepted.Duplicate ? "AlreadyReceived" : "Received",
            accepted.EpisodeId, episode, $"/api/v1/decisions/{accepted.TrackingId}"));
    }

    public sealed record EpisodeView
    {
        public required Guid Id { get; init; }
        public required string State { get; init; }
        public string? ChildKey { get; init; }
        public bool MissingFromCare { get; init; }
        public bool KnownCseRisk { get; init; }
        public DateTimeOffset? ReportedAt { get; init; }
        public DateTimeOffset StartedAt { get; init; }
        public DateTimeOffset? ReturnedAt { get; init; }
        public ClockView? Clock { get; init; }
        public IReadOnlyList<StepView> History { get; init; } = [];
    }

    /// <summary>The return-interview clock as of now: negative remaining means overdue.</summary>
    public sealed record ClockView(Guid DeadlineId, string Kind, DateTimeOffset DueAt, string State, int EscalationLevel,
        DateTimeOffset? NextEscalationAt, DateTimeOffset? MetAt, bool Mandatory, bool Priority, bool StrategyDiscussion,
        IReadOnlyList<string> Triggers, bool? Late, double RemainingHours, IReadOnlyList<EscalationView> Escalations);

    public sealed record EscalationView(int Level, string EscalatedTo, DateTimeOffset At, Guid DeliveryId);

    public sealed record StepView(DateTimeOffset At, string Event, string Detail, Guid? TrackingId);

    private static async Task<IResult> GetEpisode(Guid id, HttpContext http, IDbContextFactory<HubDbContext> dbFactory, TimeProvider clock, CancellationToken ct)
    {
        var (caller, problem) = Authentication.Authenticate(http);
        if (problem is not null) return problem;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // One snapshot for the episode, its history and its clock: read statement by statement, a report committed in between
        // showed its history step beside the episode and clock as they were before it.
        await using var snapshot = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var episode = await db.MissingEpisodes.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct);
        if (episode is null) return HubProblems.NotFound("missing episode");
        var steps = await db.MissingEpisodeEvents.AsNoTracking().Where(e => e.EpisodeId == id).OrderBy(e => e.Id).ToListAsync(ct);
        if (!caller!.IsOperations)
        {
            // An agency sees an episode it has sent a message about; any other is indistinguishable from one that does not exist.
            var ids = steps.Where(s => s.TrackingId != null).Select(s => s.TrackingId!.Value).ToList();
            var agency = caller.Agency?.ToString();
            if (agency is null || !await db.Messages.AnyAsync(m => ids.Contains(m.TrackingId) && m.Agency == agency, ct))
                return HubProblems.NotFound("missing episode");
        }

        ClockView? clockView = null;
        if (episode.InterviewDeadlineId is { } deadlineId && await db.Deadlines.AsNoTracking().FirstOrDefaultAsync(d => d.Id == deadlineId, ct) is { } d)
        {
            var escalations = await db.DeadlineEscalations.AsNoTracking().Where(x => x.DeadlineId == deadlineId).OrderBy(x => x.Level)
                .Select(x => new EscalationView(x.Level, x.EscalatedTo, x.At, x.DeliveryId)).ToListAsync(ct);
            var reference = d.MetAt ?? clock.GetUtcNow();
            clockView = new ClockView(d.Id, d.Kind, d.DueAt, d.State.ToString(), d.EscalationLevel, d.NextEscalationAt, d.MetAt,
                episode.InterviewMandatory, episode.InterviewPriority, episode.StrategyDiscussion,
                episode.Triggers.Split(' ', StringSplitOptions.RemoveEmptyEntries), episode.InterviewLate,
                Math.Round((d.DueAt - reference).TotalHours, 2), escalations);
        }
        return Results.Ok(new EpisodeView
        {
            Id = episode.Id, State = episode.State.ToString(), ChildKey = episode.ChildKey, MissingFromCare = episode.MissingFromCare,
            KnownCseRisk = episode.KnownCseRisk, ReportedAt = episode.ReportedAt, StartedAt = episode.StartedAt, ReturnedAt = episode.ReturnedAt,
            Clock = clockView, History = [.. steps.Select(s => new StepView(s.At, s.Event, s.Detail, s.TrackingId))],
        });
    }

    public sealed record DeadlineView(Guid Id, string Kind, Guid TrackingId, Guid? EpisodeId, string? ChildKey, string Owner, string RuleId,
        DateTimeOffset DueAt, string State, int EscalationLevel, DateTimeOffset? NextEscalationAt, DateTimeOffset? MetAt);

    private static async Task<IResult> GetDeadlines(HttpContext http, string? state, IDbContextFactory<HubDbContext> dbFactory, CancellationToken ct)
    {
        if (Authentication.RequireOperations(http, out _) is { } problem) return problem;
        DeadlineState? filter = null;
        if (state is not null)
        {
            if (!Enum.TryParse<DeadlineState>(state, ignoreCase: true, out var parsed))
                return HubProblems.Problem(StatusCodes.Status400BadRequest, "Unknown state", null, [new FieldError("state", "Open, Overdue or Met.")]);
            filter = parsed;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Deadlines.AsNoTracking();
        if (filter is { } f) query = query.Where(d => d.State == f);
        var rows = await query.OrderBy(d => d.DueAt).Take(1000).ToListAsync(ct);
        return Results.Ok(rows.Select(d => new DeadlineView(d.Id, d.Kind, d.TrackingId, d.EpisodeId, d.ChildKey, d.Owner, d.RuleId,
            d.DueAt, d.State.ToString(), d.EscalationLevel, d.NextEscalationAt, d.MetAt)).ToList());
    }

    private static async Task<IResult> MarkMet(Guid id, HttpContext http, IDbContextFactory<HubDbContext> dbFactory, TimeProvider clock, CancellationToken ct)
    {
        if (Authentication.RequireOperations(http, out var caller) is { } problem) return problem;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var deadline = await db.Deadlines.FirstOrDefaultAsync(d => d.Id == id, ct);
        if (deadline is null) return HubProblems.NotFound("deadline");
        if (deadline.Kind == Protocol.DeadlineKinds.ReturnInterview)
            return HubProblems.Problem(StatusCodes.Status409Conflict, "Report the interview", "A return-interview clock stops when the interview is reported (POST /api/v1/return-interviews).");
        if (deadline.State != DeadlineState.Met)
        {
            var now = clock.GetUtcNow();
            deadline.State = DeadlineState.Met;
            deadline.MetAt = now;
            deadline.NextEscalationAt = null;
            db.Audit.Add(new AuditEntry
            {
                At = now, TrackingId = deadline.TrackingId, Event = "DeadlineMet", Actor = caller!.Name,
                Detail = $"{deadline.Kind} deadline {deadline.Id} due {deadline.DueAt:O}; {deadline.EscalationLevel} escalation(s) made",
            });
            await db.SaveChangesAsync(ct);
        }
        return Results.Ok(new DeadlineView(deadline.Id, deadline.Kind, deadline.TrackingId, deadline.EpisodeId, deadline.ChildKey, deadline.Owner,
            deadline.RuleId, deadline.DueAt, deadline.State.ToString(), deadline.EscalationLevel, deadline.NextEscalationAt, deadline.MetAt));
    }

    public sealed record ReviewListEntry(string ChildKey, DateTimeOffset AddedAt, int EpisodeCount, Guid TrackingId, ChildDetails? Child);

    private static async Task<IResult> GetReviewList(HttpContext http, string? month, IDbContextFactory<HubDbContext> dbFactory, CancellationToken ct)
    {
        var (caller, problem) = Authentication.Authenticate(http);
        if (problem is not null) return problem;
        if (!caller!.IsOperations && !caller.IsMarp) return HubProblems.Forbidden("The review list is for the MARP and operations.");
        if (month is null || !DateTime.TryParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            return HubProblems.Problem(StatusCodes.Status400BadRequest, "Month required", null, [new FieldError("month", "Give the month as YYYY-MM.")]);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.MarpReviewList.AsNoTracking().Where(m => m.Month == month).OrderBy(m => m.Id).ToListAsync(ct);
        // Operators see pseudonymous keys only; the panel needs to know whom it reviews.
        return Results.Ok(new
        {
            month,
            children = rows.Select(r => new ReviewListEntry(r.ChildKey, r.AddedAt, r.EpisodeCount, r.TrackingId,
                // An identity erased by the retention purge is empty: the row stays, nameless.
                caller.IsMarp && r.ChildIdentity.Length > 0 ? JsonSerializer.Deserialize<ChildDetails>(r.ChildIdentity, ContractJson.Options) : null)).ToList(),
        });
    }
}
