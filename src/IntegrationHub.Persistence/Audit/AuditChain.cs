using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Persistence.Audit;

/// <summary>The result of checking the chain: where it first breaks, if it does.</summary>
/// <param name="Sealed">Entries in the chain that were checked.</param>
/// <param name="Unsealed">Entries written but not yet chained (the sealer runs every few seconds).</param>
/// <param name="BrokenAtId">The audit entry id of the first broken link, or null.</param>
public sealed record AuditVerification(bool Intact, long Sealed, long Unsealed, long? BrokenAtId, long? BrokenAtIndex, string? Problem)
{
    public string Summary => Intact
        ? $"Audit chain intact: {Sealed} entries checked, {Unsealed} not yet sealed."
        : $"Audit chain broken at entry {BrokenAtId} (position {BrokenAtIndex}): {Problem}";
}

/// <summary>
/// Chains audit entries: each sealed entry carries the SHA-256 of its own fields and of the entry before it, so an
/// edited, deleted or inserted entry breaks every link after it. Writers only insert; one sealer at a time (an
/// in-process lock plus, on PostgreSQL, a transaction-scoped advisory lock) chains unsealed entries in id order.
/// </summary>
public static class AuditChain
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";
    private const long AdvisoryLockKey = 0x4855_4241_5544_4954; // "HUBAUDIT"
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static string HashOf(AuditEntry e, long index, string previousHash)
    {
        var canonical = string.Join('\u001f',
            index.ToString(CultureInfo.InvariantCulture),
            e.Id.ToString(CultureInfo.InvariantCulture),
            e.At.UtcTicks.ToString(CultureInfo.InvariantCulture),
            e.TrackingId?.ToString("N") ?? "",
            e.Event, e.Actor, e.Detail, previousHash);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>Chains every unsealed entry; returns how many were sealed.</summary>
    public static async Task<int> SealAsync(IDbContextFactory<HubDbContext> factory, CancellationToken ct, int batch = 1000)
    {
        await Gate.WaitAsync(ct);
        try
        {
            var total = 0;
            while (true)
            {
                await using var db = await factory.CreateDbContextAsync(ct);
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                if (db.Database.IsNpgsql())
                    await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", ct);
                var last = await db.Audit.AsNoTracking().Where(a => a.ChainIndex != null)
                    .OrderByDescending(a => a.ChainIndex).Select(a => new { a.ChainIndex, a.Hash }).FirstOrDefaultAsync(ct);
                var pending = await db.Audit.Where(a => a.ChainIndex == null).OrderBy(a => a.Id).Take(batch).ToListAsync(ct);
                if (pending.Count == 0) return total;
                var index = last?.ChainIndex ?? 0;
                var previous = last?.Hash ?? Genesis;
                foreach (var entry in pending)
                {
                    index++;
                    entry.ChainIndex = index;
                    entry.PreviousHash = previous;
                    entry.Hash = HashOf(entry, index, previous);
                    previous = entry.Hash;
                }
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                total += pending.Count;
                if (pending.Count < batch) return total;
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Walks the chain from the start and names the first entry whose hash or link does not hold.</summary>
    public static async Task<AuditVerification> VerifyAsync(HubDbContext db, CancellationToken ct)
    {
        var previous = Genesis;
        long expected = 1;
        long checkedCount = 0;
        var unsealed = await db.Audit.LongCountAsync(a => a.ChainIndex == null, ct);
        await foreach (var e in db.Audit.AsNoTracking().Where(a => a.ChainIndex != null).OrderBy(a => a.ChainIndex).AsAsyncEnumerable().WithCancellation(ct))
        {
            string? problem = null;
            if (e.ChainIndex != expected) problem = $"position {expected} is missing (next entry found is at position {e.ChainIndex}): an entry was deleted";
            else if (e.PreviousHash != previous) problem = "it does not link to the entry before it";
            else if (e.Hash != HashOf(e, e.ChainIndex!.Value, previous)) problem = "its content does not match its hash: it was changed after it was written";
            if (problem is not null) return new AuditVerification(false, checkedCount, unsealed, e.Id, e.ChainIndex, problem);
            previous = e.Hash!;
            expected++;
            checkedCount++;
        }
        return new AuditVerification(true, checkedCount, unsealed, null, null, null);
    }
}
