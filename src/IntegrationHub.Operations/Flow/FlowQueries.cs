using IntegrationHub.Persistence;
using IntegrationHub.Persistence.Failures;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Operations.Flow;

public sealed record CountRow(string Key, string? Kind, int LastHour, int LastDay, int LastWeek);

/// <summary>One message as an operator sees it: metadata only.</summary>
public sealed record MessageRow(Guid TrackingId, string Agency, string Kind, DateTimeOffset ReceivedAt, IReadOnlyList<string> Recipients,
    string Status, double? DurationMs);

public sealed record ChartBar(DateTimeOffset Hour, int Concerns, int Deliveries);

public sealed record FlowSnapshot(DateTimeOffset At, IReadOnlyList<CountRow> ConcernsIn, IReadOnlyList<CountRow> DeliveriesOut,
    IReadOnlyList<ChartBar> LastDayByHour, IReadOnlyList<MessageRow> Latest);

/// <summary>What came in and what went out. Reads metadata columns only; the content column is never selected.</summary>
public sealed class FlowQueries(IDbContextFactory<HubDbContext> dbFactory, TimeProvider clock)
{
    public async Task<FlowSnapshot> SnapshotAsync(int latest, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var week = now.AddDays(-7);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var received = await db.Messages.AsNoTracking().Where(m => m.ReceivedAt >= week)
            .Select(m => new { m.Agency, m.Kind, m.ReceivedAt }).ToListAsync(ct);
        var sent = await db.Deliveries.AsNoTracking().Where(d => d.SentAt != null && d.SentAt >= week)
            .Select(d => new { d.Recipient, d.MessageKind, SentAt = d.SentAt!.Value }).ToListAsync(ct);

        var concernsIn = received.GroupBy(m => (m.Agency, m.Kind)).OrderBy(g => g.Key.Agency).ThenBy(g => g.Key.Kind)
            .Select(g => new CountRow(g.Key.Agency, g.Key.Kind, g.Count(m => m.ReceivedAt >= now.AddHours(-1)),
                g.Count(m => m.ReceivedAt >= now.AddDays(-1)), g.Count())).ToList();
        var deliveriesOut = sent.GroupBy(d => d.Recipient).OrderBy(g => g.Key)
            .Select(g => new CountRow(g.Key, null, g.Count(d => d.SentAt >= now.AddHours(-1)), g.Count(d => d.SentAt >= now.AddDays(-1)), g.Count())).ToList();

        var firstHour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(-23);
        var chart = Enumerable.Range(0, 24).Select(i => firstHour.AddHours(i)).Select(h => new ChartBar(h,
            received.Count(m => m.ReceivedAt >= h && m.ReceivedAt < h.AddHours(1)),
            sent.Count(d => d.SentAt >= h && d.SentAt < h.AddHours(1)))).ToList();

        var recent = await db.Messages.AsNoTracking().OrderByDescending(m => m.ReceivedAt).Take(Math.Clamp(latest, 1, 500))
            .Select(m => new { m.TrackingId, m.Agency, m.Kind, m.ReceivedAt, m.DecidedAt, m.Status }).ToListAsync(ct);
        var ids = recent.Select(m => m.TrackingId).ToList();
        var deliveries = await db.Deliveries.AsNoTracking().Where(d => ids.Contains(d.TrackingId))
            .Select(d => new { d.TrackingId, d.Recipient, d.SentAt, d.MessageKind }).ToListAsync(ct);
        var failed = await db.Set<FailureRecord>().AsNoTracking().Where(f => ids.Contains(f.TrackingId) && f.Status == FailureStatus.Open)
            .Select(f => f.TrackingId).ToListAsync(ct);

        var rows = recent.Select(m =>
        {
            var mine = deliveries.Where(d => d.TrackingId == m.TrackingId && d.MessageKind == "ConcernShared").ToList();
            var status = failed.Contains(m.TrackingId) ? "Failed"
                : m.Status == MessageStatus.Received ? "Received"
                : mine.Count > 0 && mine.All(d => d.SentAt != null) ? "Delivered"
                : mine.Count == 0 ? "Decided (no recipients)" : "Decided";
            var delivered = mine.Where(d => d.SentAt != null).Select(d => d.SentAt!.Value).DefaultIfEmpty().Max();
            double? duration = status == "Delivered" ? (delivered - m.ReceivedAt).TotalMilliseconds
                : m.DecidedAt is { } decided ? (decided - m.ReceivedAt).TotalMilliseconds : null;
            return new MessageRow(m.TrackingId, m.Agency, m.Kind, m.ReceivedAt, mine.Select(d => d.Recipient).Order().ToList(), status, duration);
        }).ToList();

        return new FlowSnapshot(now, concernsIn, deliveriesOut, chart, rows);
    }
}
