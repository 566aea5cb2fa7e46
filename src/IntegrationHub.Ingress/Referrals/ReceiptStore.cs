using IntegrationHub.Persistence;
using IntegrationHub.Routing;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Ingress.Referrals;

/// <summary>A concern received over HTTP, to be recorded before the sender is answered.</summary>
public sealed record Receipt(MessageRecord Record, AuditEntry Audit);

/// <summary>What the store did with a receipt: recorded it now, or found one recorded under its tracking id before.</summary>
/// <param name="KeptBodySha256">When found before: the fingerprint of the body kept under the tracking id (null when it
/// has none), for the caller to tell a retry from a different concern under a reused key.</param>
public sealed record ReceiptRecorded(bool Recorded, byte[]? KeptBodySha256)
{
    public static readonly ReceiptRecorded Now = new(true, null);
}

/// <summary>
/// Records concerns received over HTTP in groups (docs/decisions/0006-group-commit.md): one query finds which of the
/// group were recorded before (a sender's retry with the same idempotency key, or a different concern under a reused
/// key), one transaction records the rest. The sender is answered only after its own record is committed.
/// </summary>
public sealed class ReceiptStore : IAsyncDisposable
{
    private readonly IDbContextFactory<HubDbContext> _dbFactory;
    private readonly GroupCommit<Receipt, ReceiptRecorded> _group;

    public ReceiptStore(IDbContextFactory<HubDbContext> dbFactory, GroupCommits groupCommits)
    {
        _dbFactory = dbFactory;
        _group = groupCommits.Create<Receipt, ReceiptRecorded>("receipts", CommitAsync, ex => ex is DbUpdateException);
    }

    /// <summary>Recorded now, or found under the same tracking id before (with the fingerprint kept there).</summary>
    public Task<ReceiptRecorded> RecordAsync(Receipt receipt, CancellationToken cancellationToken) => _group.CommitAsync(receipt, cancellationToken);

    private async Task<IReadOnlyList<ReceiptRecorded>> CommitAsync(IReadOnlyList<Receipt> receipts, CancellationToken ct)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var ids = receipts.Select(r => r.Record.TrackingId).Distinct().ToList();
        // The fingerprint comes with the query that finds them: 32 bytes for a row recorded before, no further round trip.
        var known = await db.Messages.AsNoTracking().Where(m => ids.Contains(m.TrackingId))
            .Select(m => new { m.TrackingId, m.BodySha256 }).ToDictionaryAsync(m => m.TrackingId, m => m.BodySha256, ct);
        var results = new ReceiptRecorded[receipts.Count];
        for (var i = 0; i < receipts.Count; i++)
        {
            var record = receipts[i].Record;
            if (known.TryGetValue(record.TrackingId, out var kept))
            {
                results[i] = new ReceiptRecorded(false, kept);
                continue;
            }
            // The same key twice in one group: the first is recorded, the second compared with it.
            known[record.TrackingId] = record.BodySha256;
            db.Messages.Add(record);
            db.Audit.Add(receipts[i].Audit);
            results[i] = ReceiptRecorded.Now;
        }
        try
        {
            if (results.Any(r => r.Recorded)) await db.SaveChangesCopyingInsertsAsync(ct);
        }
        catch (DbUpdateException) when (receipts.Count == 1)
        {
            // Alone and still colliding: a submission under the same key was recorded between the query and the insert.
            await using var fresh = await _dbFactory.CreateDbContextAsync(ct);
            var id = receipts[0].Record.TrackingId;
            var before = await fresh.Messages.AsNoTracking().Where(m => m.TrackingId == id)
                .Select(m => new { m.BodySha256 }).FirstOrDefaultAsync(ct);
            if (before is null) throw;
            return [new ReceiptRecorded(false, before.BodySha256)];
        }
        return results;
    }

    public ValueTask DisposeAsync() => _group.DisposeAsync();
}
