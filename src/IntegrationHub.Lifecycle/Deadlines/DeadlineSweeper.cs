using IntegrationHub.Contracts.Deadlines;
using IntegrationHub.Lifecycle.MissingEpisodes;
using IntegrationHub.Persistence;
using IntegrationHub.Persistence.Lifecycle;
using IntegrationHub.Protocol;
using IntegrationHub.Protocol.Deadlines;
using IntegrationHub.Routing.Recovery;
using IntegrationHub.Routing.Sharing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Lifecycle.Deadlines;

/// <summary>
/// The database is the scheduler: every sweep finds deadlines whose next escalation is due and makes each escalation
/// exactly once, however many hub instances sweep. An instance claims a step with a conditional update
/// (<c>UPDATE deadlines SET escalation_level = n WHERE id = x AND escalation_level = n - 1 AND state &lt;&gt; Met</c>) in the
/// same transaction as the escalation row (primary key deadline + level) and the outbox row; only the instance whose
/// update touched the row commits, so only it sends.
/// </summary>
public sealed class DeadlineSweeper(
    IServiceScopeFactory scopes,
    IDbContextFactory<HubDbContext> dbFactory,
    IOptions<LifecycleOptions> options,
    TimeProvider clock,
    ILogger<DeadlineSweeper> logger) : BackgroundService
{
    private readonly string _instance = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}" is var name && name.Length > 120 ? name[..120] : name;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.SweeperEnabled) return;
        await PeriodicSweep.RunAsync(options.Value.SweepInterval, clock, SweepAsync, logger, "Deadline sweep", stoppingToken);
    }

    /// <summary>Escalates what has fallen due; returns the escalations this instance made.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        List<DeadlineRecord> due;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            due = await db.Deadlines.AsNoTracking()
                .Where(d => d.NextEscalationAt != null && d.NextEscalationAt <= now && d.State != DeadlineState.Met)
                .OrderBy(d => d.NextEscalationAt).Take(options.Value.BatchSize).ToListAsync(ct);
        }
        if (due.Count == 0) return 0;

        // Each deadline on its own: one that cannot be escalated (a row an upgrade no longer reads, an unexpected null) is
        // logged and tried again next sweep, and does not leave the overdue clocks behind it unescalated. A database
        // outage is not one deadline's failure: it fails the sweep, which PeriodicSweep logs once and runs again.
        var sent = new List<DeliveryRecord>();
        var failures = new List<(DeadlineRecord Deadline, Exception Error)>();
        foreach (var deadline in due)
        {
            try
            {
                if (await TryEscalateAsync(deadline, now, ct) is { } delivery) sent.Add(delivery);
            }
            catch (Exception ex) when (PeriodicSweep.IsItemFailure(ex, ct))
            {
                failures.Add((deadline, ex));
            }
        }
        // The exception's type and the ids only: a message's text may quote a row's personal data.
        PeriodicSweep.LogItemFailures(failures,
            f => logger.LogError("Deadline {DeadlineId} ({TrackingId}) could not be escalated ({ExceptionType}); it is tried again at the next sweep",
                f.Deadline.Id, f.Deadline.TrackingId, f.Error.GetType().Name),
            more => logger.LogError("{More} more overdue deadlines could not be escalated", more));
        if (sent.Count == 0) return 0;

        // The escalations are committed. If this send fails (the sweep then fails, and is logged), or an outage stopped the
        // sweep before it, their outbox rows stay unsent (SentAt null): the stalled-work sweeper, which runs in every
        // instance, sends them once they are Hub:Recovery:StalledAfter old, with the same message ids.
        using var scope = scopes.CreateScope();
        var sender = scope.ServiceProvider.GetRequiredService<DeliverySender>();
        await sender.SendAsync(sent, scope.ServiceProvider.GetRequiredService<ISendEndpointProvider>(), ct);
        logger.LogInformation("Escalated {Count} overdue deadline step(s)", sent.Count);
        return sent.Count;
    }

    private async Task<DeliveryRecord?> TryEscalateAsync(DeadlineRecord deadline, DateTimeOffset now, CancellationToken ct)
    {
        var grace = options.Value.EscalationGrace;
        var step = Escalation.Next(deadline.Kind, deadline.EscalationLevel, deadline.DueAt, grace);
        if (step is null || !Escalation.IsDue(step, now)) return null;
        var nextAt = Escalation.Next(deadline.Kind, step.Level, deadline.DueAt, grace)?.DueAt;
        try
        {
            return await EscalateAsync(deadline, step, nextAt, now, ct);
        }
        catch (DbUpdateException ex) when (!StoreOutage.Is(ex))
        {
            // Nothing was committed, and the next sweep looks again. It is the expected race only when the escalation row is
            // there (another instance made the step) or the episode changed under us; a connection lost mid-write, or a
            // write the database refused, raises the same exception and leaves no row: that is said, not swallowed.
            if (await EscalatedAsync(deadline.Id, step.Level, ct)) return null;
            if (ex is DbUpdateConcurrencyException)
                logger.LogInformation("Deadline {DeadlineId} ({TrackingId}): its episode changed while escalation level {Level} was written; it is tried again at the next sweep",
                    deadline.Id, deadline.TrackingId, step.Level);
            else
                logger.LogWarning("Deadline {DeadlineId} ({TrackingId}): escalation level {Level} was not stored ({ExceptionType}); it is tried again at the next sweep",
                    deadline.Id, deadline.TrackingId, step.Level, ex.GetType().Name);
            return null;
        }
    }

    /// <summary>Claims the step and writes it, in one transaction; null when another instance claimed it first.</summary>
    private async Task<DeliveryRecord?> EscalateAsync(DeadlineRecord deadline, Escalation.Step step, DateTimeOffset? nextAt, DateTimeOffset now,
        CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var claimed = await db.Deadlines
            .Where(d => d.Id == deadline.Id && d.EscalationLevel == step.Level - 1 && d.State != DeadlineState.Met)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.EscalationLevel, step.Level)
                .SetProperty(d => d.State, DeadlineState.Overdue)
                .SetProperty(d => d.NextEscalationAt, nextAt), ct);
        if (claimed == 0) return null; // another instance made this step, or the step was done meanwhile

        var deliveryId = DeliveryIds.For($"escalation/{deadline.Id:N}/{step.Level}");
        var ruleIds = deadline.Kind == DeadlineKinds.ReturnInterview ? new[] { deadline.RuleId, Escalation.Id } : [deadline.RuleId];
        var delivery = MissingEpisodeService.Delivery(deliveryId, deadline.TrackingId, step.Recipient, now, new DeadlineOverdue
        {
            DeliveryId = deliveryId, DeadlineId = deadline.Id, TrackingId = deadline.TrackingId, Kind = deadline.Kind,
            EpisodeId = deadline.EpisodeId, ChildKey = deadline.ChildKey, DueAt = deadline.DueAt, EscalationLevel = step.Level,
            EscalatedTo = step.EscalatedTo, Recipient = step.Recipient, EscalatedAt = now, RuleIds = ruleIds,
            Reason = Escalation.Reason(deadline.Kind, step),
        });
        db.DeadlineEscalations.Add(new DeadlineEscalationRecord
        {
            DeadlineId = deadline.Id, Level = step.Level, At = now, EscalatedTo = step.EscalatedTo, DeliveryId = deliveryId, ClaimedBy = _instance,
        });
        db.Deliveries.Add(delivery);
        db.Audit.Add(new AuditEntry
        {
            At = now, TrackingId = deadline.TrackingId, Event = "DeadlineEscalated", Actor = "lifecycle",
            Detail = $"{deadline.Kind} deadline {deadline.Id} due {deadline.DueAt:O}: level {step.Level} to {step.EscalatedTo}",
        });
        if (deadline.EpisodeId is { } episodeId && await db.MissingEpisodes.FindAsync([episodeId], ct) is { } episode)
        {
            if (episode.State == EpisodeState.InterviewRequested) episode.State = EpisodeState.InterviewOverdue;
            episode.Version++;
            MissingEpisodeService.History(db, episode, now, step.Level == 1 ? "ReturnInterviewOverdue" : "ReturnInterviewEscalated", deadline.TrackingId,
                $"due {deadline.DueAt.ToUniversalTime():yyyy-MM-dd'T'HH:mm:ss'Z'}; level {step.Level} to {step.EscalatedTo}");
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return delivery;
    }

    /// <summary>Whether escalation <paramref name="level"/> of the deadline is on record, read afresh.</summary>
    private async Task<bool> EscalatedAsync(Guid deadlineId, int level, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.DeadlineEscalations.AnyAsync(e => e.DeadlineId == deadlineId && e.Level == level, ct);
    }
}
