using IntegrationHub.Ingress.Amqp;
using IntegrationHub.Ingress.Quarantine;
using System.Text.Json;
using System.Text.Json.Serialization;
using IntegrationHub.Contracts;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Referrals;
using IntegrationHub.Ingress.Referrals;
using IntegrationHub.Operations.Audit;
using IntegrationHub.Operations.Security;
using IntegrationHub.Persistence;
using IntegrationHub.Persistence.Failures;
using IntegrationHub.Routing.Recovery;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Operations.Failures;

/// <param name="RemovedFromErrorQueue">On RabbitMQ, for a routing failure or for input refused over AMQP: whether the
/// broker's stale copy in <c>hub.route-concern_error</c> or <c>agency.&lt;agency&gt;.inbound_error</c> was taken out (false: not
/// found there; null: not applicable, or the broker did not answer).</param>
public sealed record FailureOutcome(Guid Id, string Source, string Result, Guid? TrackingId, bool? RemovedFromErrorQueue = null)
{
    /// <summary>Quarantined input the agency sent again after it was refused (<see cref="LaterCopies"/>): with result
    /// <c>ResentLater</c> nothing was routed; with <c>Retried</c> it was replayed on confirmation although they were there.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<LaterCopy>? LaterCopies { get; init; }

    /// <summary>Quarantined input that came over AMQP: its copy is in its agency's error queue, keyed by the quarantine id.</summary>
    internal bool HasAgencyErrorQueueCopy { get; init; }
}

/// <summary>What a group retry came to: each item's outcome, and counts. <paramref name="Skipped"/> items were held
/// back because their agency sent them again after they were refused (result <c>ResentLater</c>, <paramref name="SkippedReason"/>):
/// a group retry never replays those; each is discarded, or retried on its own with confirmation. <paramref name="NotRetried"/>
/// failed to retry for another reason, which each outcome's result gives (still unreadable, already handled...).</summary>
public sealed record GroupRetryOutcome(string Cause, int Count, int Retried, int Skipped, string? SkippedReason, int NotRetried, IReadOnlyList<FailureOutcome> Outcomes)
{
    public const string ResentLaterReason = "sent again later by the agency: discard each, or retry it on its own with confirmation";

    public static GroupRetryOutcome Of(string cause, IReadOnlyList<FailureOutcome> outcomes)
    {
        var retried = outcomes.Count(o => o.Result == "Retried");
        var skipped = outcomes.Count(o => o.Result == ReplayResult.ResentLaterOutcome);
        return new(cause, outcomes.Count, retried, skipped, skipped > 0 ? ResentLaterReason : null, outcomes.Count - retried - skipped, outcomes);
    }
}

/// <summary>
/// Retry and discard, one at a time or a whole cause. A routing retry sends the stored message through the router
/// again (so the protocol runs again); the router's inbox and the failure's status make a second retry harmless.
/// A quarantine retry reads the kept body again and, if it now reads, accepts it as a new concern, unless its agency sent
/// it again after the refusal (<see cref="LaterCopies"/>): then it is held back (<c>ResentLater</c>) until an operator
/// discards it or confirms the retry. A group retry never confirms.
/// On RabbitMQ, a routing failure that is retried or discarded also leaves the router's error queue, and input refused
/// over AMQP its agency's error queue (the copy there would otherwise stay, counted on the Queues page and open to being
/// replayed a second time).
/// </summary>
public sealed class FailureActions(IDbContextFactory<HubDbContext> dbFactory, IServiceScopeFactory scopes, TimeProvider clock, FailureQueries queries,
    RabbitMqErrorQueue errorQueue, AgencyErrorQueues agencyErrorQueues)
{
    /// <param name="confirmed">Replay quarantined input even though its agency sent it again later (the operator has seen the copies).</param>
    public async Task<FailureOutcome?> RetryAsync(Guid id, Operator who, string? why, bool confirmed, CancellationToken ct)
    {
        var outcome = await RetryOneAsync(id, who, why, confirmed, ct);
        return outcome is null ? null : (await WithErrorQueueRemovedAsync([outcome], ct))[0];
    }

    private async Task<FailureOutcome?> RetryOneAsync(Guid id, Operator who, string? why, bool confirmed, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var failure = await db.Set<FailureRecord>().AsNoTracking().FirstOrDefaultAsync(f => f.Id == id, ct);
        if (failure is not null) return await RetryRoutingAsync(db, failure, who, why, ct);
        var held = await db.Quarantine.AsNoTracking().FirstOrDefaultAsync(q => q.Id == id, ct);
        return held is null ? null : await RetryQuarantineAsync(held, who, why, confirmed, ct);
    }

    /// <summary>Retries every item of a cause, oldest first. Never confirms: input its agency sent again later is skipped and counted.</summary>
    public async Task<GroupRetryOutcome> RetryGroupAsync(string cause, Operator who, string? why, CancellationToken ct)
    {
        var group = (await queries.OpenAsync(ct)).Groups.FirstOrDefault(g => g.Cause == cause);
        if (group is null) return GroupRetryOutcome.Of(cause, []);
        var outcomes = new List<FailureOutcome>();
        foreach (var item in group.Items)
            if (await RetryOneAsync(item.Id, who, why ?? $"retry of cause {cause}", confirmed: false, ct) is { } outcome) outcomes.Add(outcome);
        return GroupRetryOutcome.Of(cause, await WithErrorQueueRemovedAsync(outcomes, ct));
    }

    /// <summary>One pass over the router's error queue for every routing failure just resolved, and one over the agencies'
    /// error queues for every input refused over AMQP just replayed or discarded.</summary>
    private async Task<IReadOnlyList<FailureOutcome>> WithErrorQueueRemovedAsync(IReadOnlyList<FailureOutcome> outcomes, CancellationToken ct)
    {
        // "already Retried/Discarded" too: a second press removes a copy that reached the error queue after the first.
        static bool Resolved(FailureOutcome o) => o.Result is "Retried" or "Discarded" || o.Result.StartsWith("already ", StringComparison.Ordinal);
        var routing = outcomes.Where(o => o.Source == FailureQueries.Routing && o.TrackingId is not null && Resolved(o)).ToList();
        var quarantined = outcomes.Where(o => o.HasAgencyErrorQueueCopy && Resolved(o)).ToList();
        if (routing.Count > 0 && errorQueue.Applies)
        {
            var removed = await errorQueue.RemoveAsync(routing.Select(o => o.TrackingId!.Value).ToHashSet(), ct);
            // When the broker did not answer, say so on each outcome (null).
            outcomes = [.. outcomes.Select(o => routing.Contains(o) ? o with { RemovedFromErrorQueue = removed?.Contains(o.TrackingId!.Value) } : o)];
        }
        if (quarantined.Count > 0)
        {
            var removed = await agencyErrorQueues.RemoveAsync(quarantined.Select(o => o.Id).ToHashSet(), ct);
            outcomes = [.. outcomes.Select(o => quarantined.Contains(o) ? o with { RemovedFromErrorQueue = removed?.Contains(o.Id) } : o)];
        }
        return outcomes;
    }

    public async Task<FailureOutcome?> DiscardAsync(Guid id, Operator who, string why, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        if (await db.Set<FailureRecord>().AsNoTracking().FirstOrDefaultAsync(f => f.Id == id, ct) is { } failure)
        {
            var discarded = failure.Status == FailureStatus.Open && await ResolveAsync(db, failure.Id, FailureStatus.Discarded, who, why, now,
                OperatorAudit.Entry(who, "FailureDiscarded", $"{why} (failure {id})", now, failure.TrackingId), ct);
            var outcome = discarded
                ? new FailureOutcome(id, FailureQueries.Routing, "Discarded", failure.TrackingId)
                : new FailureOutcome(id, FailureQueries.Routing, $"already {await StatusOfAsync(db, id, ct)}", failure.TrackingId);
            return (await WithErrorQueueRemovedAsync([outcome], ct))[0];
        }
        if (await db.Quarantine.AsNoTracking().FirstOrDefaultAsync(q => q.Id == id, ct) is { } held)
        {
            var copy = agencyErrorQueues.HasCopy(held);
            var discard = await QuarantineStatusChanges.DiscardAsync(db, id, OperatorAudit.Entry(who, "QuarantineDiscarded", $"{why} (quarantine {id})", now), ct);
            var outcome = discard switch
            {
                { Discarded: true } => new FailureOutcome(id, FailureQueries.Quarantine, "Discarded", null),
                // Its copy in an agency's error queue stays: the input may yet be refused again, and stay held.
                { ReplayUnfinished: true } => new FailureOutcome(id, FailureQueries.Quarantine, QuarantineDiscard.ReplayUnfinishedOutcome, discard.ReplayedAs),
                _ => new FailureOutcome(id, FailureQueries.Quarantine, $"already {discard?.Status}", discard?.ReplayedAs),
            };
            return (await WithErrorQueueRemovedAsync([outcome with { HasAgencyErrorQueueCopy = copy }], ct))[0];
        }
        return null;
    }

    /// <summary>
    /// Moves a routing failure from Open to <paramref name="to"/> with its audit entry, in one transaction, only if it is
    /// still Open. The conditional update is the guard against a second operator (a double click, a group retry
    /// overlapping a single one): false means it was resolved meanwhile, and nothing was written.
    /// </summary>
    private static async Task<bool> ResolveAsync(HubDbContext db, Guid id, FailureStatus to, Operator who, string? why, DateTimeOffset now,
        AuditEntry audit, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var won = await db.Set<FailureRecord>().Where(f => f.Id == id && f.Status == FailureStatus.Open)
            .ExecuteUpdateAsync(s => s
                .SetProperty(f => f.Status, to)
                .SetProperty(f => f.ResolvedAt, now)
                .SetProperty(f => f.ResolvedBy, who.AuditName)
                .SetProperty(f => f.Resolution, why), ct) == 1;
        if (!won) return false;
        db.Audit.Add(audit);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    private static Task<FailureStatus> StatusOfAsync(HubDbContext db, Guid id, CancellationToken ct) =>
        db.Set<FailureRecord>().AsNoTracking().Where(f => f.Id == id).Select(f => f.Status).SingleAsync(ct);

    private async Task<FailureOutcome> RetryRoutingAsync(HubDbContext db, FailureRecord failure, Operator who, string? why, CancellationToken ct)
    {
        if (failure.Status != FailureStatus.Open)
            return new FailureOutcome(failure.Id, FailureQueries.Routing, $"already {failure.Status}", failure.TrackingId);
        var record = await db.Messages.AsNoTracking().FirstOrDefaultAsync(m => m.TrackingId == failure.TrackingId, ct);
        if (record is null || record.PurgedAt is not null)
            return new FailureOutcome(failure.Id, FailureQueries.Routing, "cannot retry: the message content is no longer held", failure.TrackingId);

        // Claimed before it is published: of two retries at once, only the one whose update finds it Open publishes. If the
        // hub stops between the two, the stalled-work sweeper publishes a concern that is still waiting for its decision.
        var now = clock.GetUtcNow();
        if (!await ResolveAsync(db, failure.Id, FailureStatus.Retried, who, why, now,
                OperatorAudit.Entry(who, "FailureRetried", $"{why ?? "retry"} (failure {failure.Id}, cause {failure.Cause})", now, failure.TrackingId), ct))
            return new FailureOutcome(failure.Id, FailureQueries.Routing, $"already {await StatusOfAsync(db, failure.Id, ct)}", failure.TrackingId);

        // A concern, or a missing, found or return-interview report: published again as the kind it was recorded as.
        var type = StalledWorkSweeper.KindTypes.GetValueOrDefault(record.Kind, typeof(ConcernRaised));
        var message = JsonSerializer.Deserialize(record.Payload, type, ContractJson.Options)!;
        using var scope = scopes.CreateScope();
        var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        await publish.Publish(message, type, c =>
        {
            c.MessageId = record.TrackingId;
            // If it had been decided before it failed (e.g. a delivery could not be sent), the protocol runs again.
            if (type == typeof(ConcernRaised)) c.Headers.Set(IntegrationHub.Routing.Referrals.ConcernRouter.RedecideHeader, "true");
        }, ct);
        return new FailureOutcome(failure.Id, FailureQueries.Routing, "Retried", failure.TrackingId);
    }

    private async Task<FailureOutcome> RetryQuarantineAsync(QuarantineRecord held, Operator who, string? why, bool confirmed, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var replay = await scope.ServiceProvider.GetRequiredService<QuarantineReplayer>().ReplayAsync(held, confirmed, r => r.ReplayedAnyway
            ? OperatorAudit.Entry(who, "QuarantineReplayedAnyway",
                $"{why ?? "retry"} (quarantine {held.Id}, confirmed although sent again later as {LaterCopies.Describe(r.LaterCopies!)})", clock.GetUtcNow(), r.TrackingId)
            : OperatorAudit.Entry(who, "QuarantineReplayed", $"{why ?? "retry"} (quarantine {held.Id})", clock.GetUtcNow(), r.TrackingId), ct);
        var copy = agencyErrorQueues.HasCopy(held);
        // Held back for a later copy: still held, so its copy in an agency's error queue stays too.
        if (!replay.Accepted || replay.Status == 409)
            return new FailureOutcome(held.Id, FailureQueries.Quarantine, replay.Outcome, replay.TrackingId) { HasAgencyErrorQueueCopy = copy, LaterCopies = replay.LaterCopies };
        return new FailureOutcome(held.Id, FailureQueries.Quarantine, "Retried", replay.TrackingId)
            { HasAgencyErrorQueueCopy = copy, LaterCopies = replay.ReplayedAnyway ? replay.LaterCopies : null };
    }
}
