using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Contracts.Referrals;
using IntegrationHub.Contracts.Sharing;
using IntegrationHub.Persistence;
using IntegrationHub.Persistence.Lifecycle;
using IntegrationHub.Routing.Messaging;
using IntegrationHub.Routing.Sharing;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Routing.Referrals;

/// <summary>A first decision, worked out and staged, waiting to be committed.</summary>
public sealed record DecisionDraft(ConcernRaised Message, Guid MessageId, RoutingDecision Decision, string? ChildKey, DateTimeOffset DecidedAt,
    IReadOnlyList<DeliveryRecord> Deliveries);

/// <summary>
/// What the store did with a draft: committed it, or found the concern decided before (then what is still unsent), or
/// found a different body kept under its tracking id (<paramref name="KeyReused"/>: the sender's key was used before for
/// another concern; nothing was decided and there is nothing to send).
/// </summary>
public sealed record DecisionCommitted(bool AlreadyDecided, IReadOnlyList<DeliveryRecord> ToSend, bool KeyReused = false)
{
    public static readonly DecisionCommitted Reused = new(false, [], KeyReused: true);
}

/// <summary>
/// Commits first decisions in groups (docs/decisions/0006-group-commit.md): the message record, the decision, its
/// deliveries (the outbox), the MASH and LADO clocks, the audit entry and the inbox mark of every concern in the group go
/// in one transaction, after one query that finds which of them were decided before. A concern already decided (a
/// redelivery, a retry, the same concern twice in one group, another hub instance first) is not decided again: its
/// caller gets the deliveries still unsent. A concern whose body's fingerprint differs from the one kept under its tracking
/// id (an AMQP message_id used again for another concern) is neither decided nor sent (<see cref="ReusedKeys"/>); the
/// fingerprints are compared only for a tracking id found kept, and come with the query that finds it. The <see cref="IDecisionIndex"/>es (the pattern index) add their rows and
/// alerts to the same transaction; a collision there (another transaction touched the same pattern) is a unique-key or
/// concurrency error, so the group is committed again one concern at a time, and a concern still colliding is retried.
/// </summary>
public sealed class DecisionStore : IAsyncDisposable
{
    private readonly IDbContextFactory<HubDbContext> _dbFactory;
    private readonly IDecisionIndex[] _indexes;
    private readonly GroupCommit<DecisionDraft, DecisionCommitted> _group;

    /// <param name="indexes">Work committed with each group of first decisions (the pattern index).</param>
    public DecisionStore(IDbContextFactory<HubDbContext> dbFactory, GroupCommits groupCommits, IEnumerable<IDecisionIndex> indexes)
    {
        _dbFactory = dbFactory;
        _indexes = [.. indexes];
        // One writer: two groups at once would often name the same car or place (concerns about linked children arrive
        // together) and collide on the pattern rows; measured, two writers gave 479-594 concerns/s and one 733.
        _group = groupCommits.Create<DecisionDraft, DecisionCommitted>("decisions", CommitAsync, ex => ex is DbUpdateException, oneWriter: true);
    }

    /// <summary>Completes when the draft is durable (or was decided before).</summary>
    public Task<DecisionCommitted> CommitAsync(DecisionDraft draft, CancellationToken cancellationToken) => _group.CommitAsync(draft, cancellationToken);

    private async Task<IReadOnlyList<DecisionCommitted>> CommitAsync(IReadOnlyList<DecisionDraft> drafts, CancellationToken ct)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var ids = drafts.Select(d => d.Message.TrackingId).Distinct().ToList();
        var decided = (await db.Decisions.Where(d => ids.Contains(d.TrackingId)).Select(d => d.TrackingId).ToListAsync(ct)).ToHashSet();
        // Concerns that came in over HTTP were recorded on receipt; those from AMQP are recorded here.
        var records = await db.Messages.Where(m => ids.Contains(m.TrackingId)).ToDictionaryAsync(m => m.TrackingId, ct);

        var results = new DecisionCommitted?[drafts.Count];
        var taken = new Dictionary<Guid, byte[]?>();
        var firsts = new List<int>();
        for (var i = 0; i < drafts.Count; i++)
        {
            var draft = drafts[i];
            var id = draft.Message.TrackingId;
            // Kept before (decided; or recorded on receipt over HTTP, when it is this concern's own row) or earlier in this
            // group: the same body again is this concern, a different one another concern under a reused key.
            if (Kept(id, out var keptSha256) && !ReusedKeys.SameBody(keptSha256, draft.Message.BodySha256))
            {
                results[i] = DecisionCommitted.Reused;
                continue;
            }
            if (decided.Contains(id) || !taken.TryAdd(id, draft.Message.BodySha256)) continue;
            Add(db, draft, records.GetValueOrDefault(draft.Message.TrackingId));
            firsts.Add(i);
        }
        bool Kept(Guid id, out byte[]? sha256)
        {
            if (records.TryGetValue(id, out var record))
            {
                sha256 = record.BodySha256;
                return true;
            }
            return taken.TryGetValue(id, out sha256);
        }
        var outbox = firsts.ToDictionary(i => i, i => new List<DeliveryRecord>(drafts[i].Deliveries));
        foreach (var index in firsts.Count > 0 ? _indexes : [])
        {
            var added = await index.AddAsync(db, [.. firsts.Select(i => drafts[i])], ct);
            for (var n = 0; n < firsts.Count; n++)
            {
                db.Deliveries.AddRange(added[n]);
                outbox[firsts[n]].AddRange(added[n]);
            }
        }
        foreach (var i in firsts) results[i] = new DecisionCommitted(false, outbox[i]);

        try
        {
            if (taken.Count > 0) await db.SaveChangesCopyingInsertsAsync(ct);
        }
        catch (DbUpdateException) when (drafts.Count == 1)
        {
            // Alone and still colliding: another consumer or hub instance decided it between the query and the insert.
            await using var fresh = await _dbFactory.CreateDbContextAsync(ct);
            var id = drafts[0].Message.TrackingId;
            if (!await fresh.Decisions.AnyAsync(d => d.TrackingId == id, ct)) throw;
            var kept = await fresh.Messages.AsNoTracking().Where(m => m.TrackingId == id).Select(m => new { m.BodySha256 }).FirstAsync(ct);
            if (!ReusedKeys.SameBody(kept.BodySha256, drafts[0].Message.BodySha256)) return [DecisionCommitted.Reused];
            return [new DecisionCommitted(true, await fresh.Deliveries.AsNoTracking().Where(d => d.TrackingId == id && d.SentAt == null).ToListAsync(ct))];
        }

        if (results.Any(r => r is null))
        {
            var again = drafts.Where((_, i) => results[i] is null).Select(d => d.Message.TrackingId).Distinct().ToList();
            var unsent = (await db.Deliveries.AsNoTracking().Where(d => again.Contains(d.TrackingId) && d.SentAt == null).ToListAsync(ct))
                .ToLookup(d => d.TrackingId);
            for (var i = 0; i < drafts.Count; i++)
                results[i] ??= new DecisionCommitted(true, [.. unsent[drafts[i].Message.TrackingId]]);
        }
        return results!;
    }

    private static void Add(HubDbContext db, DecisionDraft draft, MessageRecord? record)
    {
        var (message, decision, now) = (draft.Message, draft.Decision, draft.DecidedAt);
        if (record is null)
        {
            record = new MessageRecord
            {
                TrackingId = message.TrackingId,
                Agency = message.Agency.ToString(),
                Kind = nameof(ConcernRaised),
                Channel = message.Channel,
                ReceivedAt = message.ReceivedAt.ToUniversalTime(),
                BodySha256 = message.BodySha256,
                Payload = JsonSerializer.Serialize(message, ContractJson.Options),
            };
            db.Messages.Add(record);
        }
        record.Status = MessageStatus.Decided;
        record.DecidedAt = now;
        record.ChildKey = draft.ChildKey;

        db.Decisions.Add(new DecisionRecord
        {
            TrackingId = message.TrackingId,
            Revision = 1,
            DecidedAt = now,
            ProtocolVersion = decision.ProtocolVersion,
            Decision = JsonSerializer.Serialize(decision, ContractJson.Options),
            RuleIds = string.Join(' ', decision.RulesFired.Select(r => r.RuleId)),
        });
        db.Deliveries.AddRange(draft.Deliveries);
        // The MASH and LADO clocks (one working day) live in the database; the lifecycle's sweeper escalates them.
        foreach (var deadline in decision.Deadlines.GroupBy(d => d.Kind).Select(g => g.MinBy(d => d.DueAt)!))
        {
            db.Deadlines.Add(new DeadlineRecord
            {
                Id = DeliveryIds.For($"deadline/{message.TrackingId:N}/{deadline.Kind}"),
                Kind = deadline.Kind, TrackingId = message.TrackingId, ChildKey = draft.ChildKey, Owner = deadline.Owner,
                RuleId = deadline.RuleId, StartedAt = message.ReceivedAt, DueAt = deadline.DueAt, NextEscalationAt = deadline.DueAt,
            });
        }
        db.Audit.Add(new AuditEntry
        {
            At = now, TrackingId = message.TrackingId, Event = "Decided", Actor = "router",
            Detail = $"protocol {decision.ProtocolVersion}; rules {string.Join(',', decision.RulesFired.Select(r => r.RuleId))}; " +
                     $"recipients {string.Join(',', decision.Recipients.Select(r => $"{r.Recipient}:{r.Priority}"))}",
        });
        db.Inbox.Add(new InboxRecord { MessageId = draft.MessageId, Consumer = ConcernRouter.InboxName, ProcessedAt = now });
    }

    public ValueTask DisposeAsync() => _group.DisposeAsync();
}
