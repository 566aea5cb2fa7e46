using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Contracts.Sharing;
using IntegrationHub.Persistence;
using IntegrationHub.Persistence.Lifecycle;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Operations.Deadlines;

public sealed record DeadlineRow(Guid TrackingId, string Agency, string Kind, string Owner, DateTimeOffset DueAt, bool Overdue, string RuleId);

public sealed record DeadlineGroup(string Agency, string Owner, int Due, int Overdue);

public sealed record DeadlineSnapshot(DateTimeOffset At, IReadOnlyList<DeadlineGroup> Groups, IReadOnlyList<DeadlineRow> Deadlines);

/// <summary>
/// The clocks decisions set (return interviews, LADO, MASH), from each message's latest decision revision. Until the
/// lifecycle records when a deadline is met, every deadline of the last <c>days</c> days is shown as due or overdue.
/// </summary>
public sealed class DeadlineQueries(IDbContextFactory<HubDbContext> dbFactory, TimeProvider clock)
{
    public async Task<DeadlineSnapshot> SnapshotAsync(int days, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var since = now.AddDays(-Math.Clamp(days, 1, 365));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var decisions = await db.Decisions.AsNoTracking().Where(d => d.DecidedAt >= since)
            .Select(d => new { d.TrackingId, d.Revision, d.Decision }).ToListAsync(ct);
        var latest = decisions.GroupBy(d => d.TrackingId).Select(g => g.MaxBy(d => d.Revision)!).ToList();
        var ids = latest.Select(d => d.TrackingId).ToList();
        var agencies = await db.Messages.AsNoTracking().Where(m => ids.Contains(m.TrackingId))
            .ToDictionaryAsync(m => m.TrackingId, m => m.Agency, ct);
        var rows = new List<DeadlineRow>();
        foreach (var d in latest)
        {
            var decision = JsonSerializer.Deserialize<RoutingDecision>(d.Decision, ContractJson.Options);
            foreach (var deadline in decision?.Deadlines ?? [])
                rows.Add(new DeadlineRow(d.TrackingId, agencies.GetValueOrDefault(d.TrackingId, "?"), deadline.Kind, deadline.Owner,
                    deadline.DueAt, deadline.DueAt < now, deadline.RuleId));
        }
        var groups = rows.GroupBy(r => (r.Agency, r.Owner)).OrderBy(g => g.Key.Agency).ThenBy(g => g.Key.Owner)
            .Select(g => new DeadlineGroup(g.Key.Agency, g.Key.Owner, g.Count(r => !r.Overdue), g.Count(r => r.Overdue))).ToList();
        return new DeadlineSnapshot(now, groups, rows.OrderBy(r => r.DueAt).ToList());
    }

    /// <summary>
    /// Clocks past due and not met now, for the <c>hub.deadlines.overdue</c> gauge: one indexed count over the deadlines
    /// table. (It used to build the snapshot above, parsing every decision of 30 days every 30 seconds: at 100,000
    /// decisions that took seconds, paused the hub's traffic and held hundreds of MB.)
    /// </summary>
    public async Task<int> OverdueCountAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Deadlines.CountAsync(d => d.State != DeadlineState.Met && d.DueAt < now, ct);
    }
}
