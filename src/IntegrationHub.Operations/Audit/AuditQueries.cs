using IntegrationHub.Persistence;
using IntegrationHub.Persistence.Audit;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Operations.Audit;

/// <summary>One audit entry as operators see it: ids and events, never content.</summary>
public sealed record AuditRow(long Id, DateTimeOffset At, Guid? TrackingId, string Event, string Actor, string Detail, long? ChainIndex, string? Hash);

public sealed record AuditSearchResult(string? TrackingId, string? ChildKey, IReadOnlyList<Guid> TrackingIds, IReadOnlyList<AuditRow> Entries);

public sealed class AuditQueries(IDbContextFactory<HubDbContext> dbFactory)
{
    /// <summary>Every event of the messages found by tracking id or pseudonymous child key, oldest first.</summary>
    public async Task<AuditSearchResult> SearchAsync(string? trackingId, string? childKey, int take, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = new List<Guid>();
        if (Guid.TryParse(trackingId, out var id)) ids.Add(id);
        if (!string.IsNullOrWhiteSpace(childKey))
            ids.AddRange(await db.Messages.AsNoTracking().Where(m => m.ChildKey == childKey.Trim()).Select(m => m.TrackingId).ToListAsync(ct));
        var query = db.Audit.AsNoTracking();
        query = ids.Count > 0 || !string.IsNullOrWhiteSpace(trackingId) || !string.IsNullOrWhiteSpace(childKey)
            ? query.Where(a => a.TrackingId != null && ids.Contains(a.TrackingId.Value)).OrderBy(a => a.Id)
            : query.OrderByDescending(a => a.Id);
        var rows = await query.Take(Math.Clamp(take, 1, 5000))
            .Select(a => new AuditRow(a.Id, a.At, a.TrackingId, a.Event, a.Actor, a.Detail, a.ChainIndex, a.Hash)).ToListAsync(ct);
        return new AuditSearchResult(trackingId, childKey, ids.Distinct().ToList(), rows);
    }

    /// <summary>Seals what is waiting, then walks the whole chain.</summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken ct)
    {
        await AuditChain.SealAsync(dbFactory, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await AuditChain.VerifyAsync(db, ct);
    }
}
