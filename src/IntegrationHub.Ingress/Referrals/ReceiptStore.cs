using IntegrationHub.Persistence;
using IntegrationHub.Routing;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Ingress.Referrals;

/// <summary>A concern received over HTTP, to be recorded before the sender is answered.</summary>
public sealed record Receipt(MessageRecord Record, AuditEntry Audit);

/// <summary>
/// Records concerns received over HTTP in groups (docs/decisions/0006-group-commit.md): one query finds which of the
/// group were recorded before (a sender's retry with the same idempotency key), one transaction records the rest. The
/// sender is answered only after its own record is committed.
/// </summary>
public sealed class ReceiptStore : IAsyncDisposable
{
    private readonly IDbContextFactory<HubDbContext> _dbFactory;
    private readonly GroupCommit<Receipt, bool> _group;

    public ReceiptStore(IDbContextFactory<HubDbContext> dbFactory, GroupCommits groupCommits)
    {
        _dbFactory = dbFactory;
        _group = groupCommits.Create<Receipt, bool>("receipts", CommitAsync, ex => ex is DbUpdateException);
    }

    /// <summary>True when recorded now; false when the same tracking id was recorded before (a duplicate submission).</summary>
    public Task<bool> RecordAsync(Receipt receipt, CancellationToken cancellationToken) => _group.CommitAsync(receipt, cancellationToken);

    private async Task<IReadOnlyList<bool>> CommitAsync(IReadOnlyList<Receipt> receipts, CancellationToken ct)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var ids = receipts.Select(r => r.Record.TrackingId).Distinct().ToList();
        var known = (await db.Messages.Where(m => ids.Contains(m.TrackingId)).Select(m => m.TrackingId).ToListAsync(ct)).ToHashSet();
        var recorded = new bool[receipts.Count];
        for (var i = 0; i < receipts.Count; i++)
        {
            if (!known.Add(receipts[i].Record.TrackingId)) continue;
            db.Messages.Add(receipts[i].Record);
            db.Audit.Add(receipts[i].Audit);
            recorded[i] = true;
        }
        try
        {
            if (recorded.Any(r => r)) await db.SaveChangesCopyingInsertsAsync(ct);
        }
        catch (DbUpdateException) when (receipts.Count == 1)
        {
            // Alone and still colliding: the same submission was recorded between the query and the insert.
            await using var fresh = await _dbFactory.CreateDbContextAsync(ct);
            var id = receipts[0].Record.TrackingId;
            if (!await fresh.Messages.AnyAsync(m => m.TrackingId == id, ct)) throw;
            return [false];
        }
        return recorded;
    }

    public ValueTask DisposeAsync() => _group.DisposeAsync();
}
