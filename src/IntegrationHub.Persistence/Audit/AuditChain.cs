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
                var npgsql = db.Database.IsNpgsql();
                if (npgsql)
                    await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", ct);
                var last = await db.Audit.AsNoTracking().Where(a => a.ChainIndex != null)
                    .OrderByDescending(a => a.ChainIndex).Select(a => new { a.ChainIndex, a.Hash }).FirstOrDefaultAsync(ct);
                var unsealed = db.Audit.Where(a => a.ChainIndex == null).OrderBy(a => a.Id).Take(batch);
                var pending = await (npgsql ? unsealed.AsNoTracking() : unsealed).ToListAsync(ct);
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
                if (npgsql) await SealOnPostgresAsync(db, pending, ct);
                else await db.SaveChangesAsync(ct);
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

    /// <summary>
    /// One UPDATE for the whole batch, its values as arrays. Entity Framework would send one UPDATE per entry: for
    /// 1,000 entries a command text of over 85 KB (a large-object-heap string each batch, and with it a full garbage
    /// collection every few seconds under load) and 1,000 statements for PostgreSQL to execute.
    /// </summary>
    private static Task<int> SealOnPostgresAsync(HubDbContext db, List<AuditEntry> sealedNow, CancellationToken ct)
    {
        long[] ids = [.. sealedNow.Select(e => e.Id)], indexes = [.. sealedNow.Select(e => e.ChainIndex!.Value)];
        string[] hashes = [.. sealedNow.Select(e => e.Hash!)], previous = [.. sealedNow.Select(e => e.PreviousHash!)];
        return db.Database.ExecuteSqlRawAsync("""
            UPDATE audit AS a SET "ChainIndex" = v.chain_index, "Hash" = v.hash, "PreviousHash" = v.previous_hash
            FROM unnest({0}::bigint[], {1}::bigint[], {2}::text[], {3}::text[]) AS v(id, chain_index, hash, previous_hash)
            WHERE a."Id" = v.id
            """, [ids, indexes, hashes, previous], ct);
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
