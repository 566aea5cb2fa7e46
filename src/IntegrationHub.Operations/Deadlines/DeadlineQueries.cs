using IntegrationHub.Persistence;
using IntegrationHub.Persistence.Lifecycle;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Operations.Deadlines;

public sealed record DeadlineRow(Guid TrackingId, string Agency, string Kind, string Owner, DateTimeOffset DueAt, bool Overdue, string RuleId);

public sealed record DeadlineGroup(string Agency, string Owner, int Due, int Overdue);

public sealed record DeadlineSnapshot(DateTimeOffset At, IReadOnlyList<DeadlineGroup> Groups, IReadOnlyList<DeadlineRow> Deadlines);

/// <summary>
/// The clocks still running (return interviews, MASH decisions, LADO referrals), read from the deadlines table, which
/// the decisions and the lifecycle write and the sweeper escalates: one query, whatever the number of decisions.
/// </summary>
public sealed class DeadlineQueries(IDbContextFactory<HubDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>
    /// Clocks not met: those started in the last <paramref name="days"/> days, and every older one already overdue (an
    /// overdue clock never drops off the list for age). A clock recorded met is not listed.
    /// </summary>
    public async Task<DeadlineSnapshot> SnapshotAsync(int days, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var since = now.AddDays(-Math.Clamp(days, 1, 365));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var open = await (
                from d in db.Deadlines.AsNoTracking()
                where d.State != DeadlineState.Met && (d.StartedAt >= since || d.DueAt <= now)
                join m in db.Messages.AsNoTracking() on d.TrackingId equals m.TrackingId into messages
                from m in messages.DefaultIfEmpty()
                select new { d.TrackingId, d.Kind, d.Owner, d.DueAt, d.RuleId, Agency = m == null ? null : m.Agency })
            .ToListAsync(ct);
        var rows = open.Select(d => new DeadlineRow(d.TrackingId, d.Agency ?? "?", d.Kind, d.Owner, d.DueAt, d.DueAt <= now, d.RuleId))
            .OrderBy(r => r.DueAt).ToList();
        var groups = rows.GroupBy(r => (r.Agency, r.Owner)).OrderBy(g => g.Key.Agency).ThenBy(g => g.Key.Owner)
            .Select(g => new DeadlineGroup(g.Key.Agency, g.Key.Owner, g.Count(r => !r.Overdue), g.Count(r => r.Overdue))).ToList();
        return new DeadlineSnapshot(now, groups, rows);
    }

    /// <summary>
    /// Clocks past due and not met now, for the <c>hub.deadlines.overdue</c> gauge: one indexed count. (It used to parse
    /// every decision of 30 days every 30 seconds: at 100,000 decisions that took about a second and hundreds of MB.)
    /// </summary>
    public async Task<int> OverdueCountAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Deadlines.CountAsync(d => d.State != DeadlineState.Met && d.DueAt <= now, ct);
    }
}
