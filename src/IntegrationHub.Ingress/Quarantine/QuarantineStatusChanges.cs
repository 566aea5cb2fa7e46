using IntegrationHub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Ingress.Quarantine;

/// <summary>What a discard came to, and the input's status after it.</summary>
/// <param name="Discarded">This discard changed it; false: it was replayed or discarded already, or a replay of it has
/// not finished (<see cref="ReplayUnfinished"/>).</param>
public sealed record QuarantineDiscard(bool Discarded, QuarantineStatus Status, Guid? ReplayedAs)
{
    /// <summary>Still held, but a replay of it was started and has not finished: it may have been routed already, so
    /// it is not discarded. Replaying it again routes it once and marks it replayed (or, still refused, frees it).</summary>
    public bool ReplayUnfinished => !Discarded && Status == QuarantineStatus.Held;

    /// <summary>The answer for an operator who asked for the discard of a replay that has not finished.</summary>
    public const string ReplayUnfinishedOutcome =
        "not discarded: a replay of it was started and has not finished, so it may have been routed; retry it (it is routed once), and discard it only if it is still refused";
}

/// <summary>
/// Every change of a quarantined input's status is a conditional update on the status it was read with, so two operators
/// (a double click, a group retry overlapping a single one, the console and the API) cannot both act on it: the one
/// whose update finds it changed does nothing and answers as for an input already handled (decision 0017).
/// <para>
/// A replay accepts the input (records it under the idempotency key <see cref="LaterCopies.ReplayKey"/>) before its
/// status can say so, so it first claims the input: <see cref="QuarantineRecord.ReplayedAs"/> is set to the tracking
/// id the replay will have, while it is still <see cref="QuarantineStatus.Held"/>. A discard is taken only by a held
/// input with no claim. A replay that is still refused gives its claim back; one interrupted after its claim (the hub
/// stopped, the database failed) leaves it, and the input stays held and listed: replaying it again finishes it, and the
/// idempotency key routes it once.
/// </para>
/// </summary>
public static class QuarantineStatusChanges
{
    /// <summary>Claims a held input for a replay as <paramref name="replayAs"/>. False: it is no longer held.</summary>
    /// <remarks>Another replay's claim is the same tracking id, so two replays at once both go on; the idempotency key
    /// makes their two accepts one, and <see cref="FinishReplayAsync"/> lets one of them mark and audit it.</remarks>
    public static async Task<bool> ClaimForReplayAsync(HubDbContext db, Guid id, Guid replayAs, CancellationToken ct) =>
        await db.Quarantine.Where(q => q.Id == id && q.Status == QuarantineStatus.Held && (q.ReplayedAs == null || q.ReplayedAs == replayAs))
            .ExecuteUpdateAsync(s => s.SetProperty(q => q.ReplayedAs, replayAs), ct) == 1;

    /// <summary>Gives the claim back after a replay that was still refused: nothing was recorded under it, so it may be discarded.</summary>
    public static Task ReleaseClaimAsync(HubDbContext db, Guid id, Guid replayAs, CancellationToken ct) =>
        db.Quarantine.Where(q => q.Id == id && q.Status == QuarantineStatus.Held && q.ReplayedAs == replayAs
                                 && !db.Messages.Any(m => m.TrackingId == replayAs))
            .ExecuteUpdateAsync(s => s.SetProperty(q => q.ReplayedAs, (Guid?)null), ct);

    /// <summary>Marks a held input replayed as <paramref name="trackingId"/>, with its audit entry, in one transaction.
    /// False: another replay marked it first; nothing was written.</summary>
    public static async Task<bool> FinishReplayAsync(HubDbContext db, Guid id, Guid trackingId, AuditEntry audit, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var won = await db.Quarantine.Where(q => q.Id == id && q.Status == QuarantineStatus.Held)
            .ExecuteUpdateAsync(s => s.SetProperty(q => q.Status, QuarantineStatus.Replayed).SetProperty(q => q.ReplayedAs, trackingId), ct) == 1;
        if (!won) return false;
        db.Audit.Add(audit);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>Discards a held input that no replay has claimed, with its audit entry, in one transaction. Null: no such input.</summary>
    public static async Task<QuarantineDiscard?> DiscardAsync(HubDbContext db, Guid id, AuditEntry audit, CancellationToken ct)
    {
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            var won = await db.Quarantine.Where(q => q.Id == id && q.Status == QuarantineStatus.Held && q.ReplayedAs == null)
                .ExecuteUpdateAsync(s => s.SetProperty(q => q.Status, QuarantineStatus.Discarded), ct) == 1;
            if (won)
            {
                db.Audit.Add(audit);
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return new QuarantineDiscard(true, QuarantineStatus.Discarded, null);
            }
        }
        return await db.Quarantine.AsNoTracking().Where(q => q.Id == id)
            .Select(q => new QuarantineDiscard(false, q.Status, q.ReplayedAs)).SingleOrDefaultAsync(ct);
    }

    /// <summary>The status an input has now, for the answer of an operator whose change found it changed.</summary>
    public static async Task<(QuarantineStatus Status, Guid? ReplayedAs)> CurrentAsync(HubDbContext db, Guid id, CancellationToken ct)
    {
        var now = await db.Quarantine.AsNoTracking().Where(q => q.Id == id).Select(q => new { q.Status, q.ReplayedAs }).SingleAsync(ct);
        return (now.Status, now.ReplayedAs);
    }
}
