using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Contracts.Sharing;
using IntegrationHub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Operations.Deadlines;

public sealed record LanguageFeedbackRow(string Agency, int Concerns, int WithFeedback, int Findings);

/// <param name="PatternsAvailable">True: the lifecycle is part of the hub; patterns are at <c>/api/v1/operations/patterns</c>, the MARP review list at <c>/api/v1/operations/marp-review</c>.</param>
public sealed record InsightSnapshot(bool PatternsAvailable, IReadOnlyList<LanguageFeedbackRow> LanguageFeedback);

/// <summary>Where training is needed: how often each agency's concerns drew language feedback (LANG-01). Counts only.</summary>
public sealed class InsightQueries(IDbContextFactory<HubDbContext> dbFactory, TimeProvider clock)
{
    public async Task<InsightSnapshot> SnapshotAsync(int days, CancellationToken ct)
    {
        var since = clock.GetUtcNow().AddDays(-Math.Clamp(days, 1, 365));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var decisions = await db.Decisions.AsNoTracking().Where(d => d.DecidedAt >= since && d.Revision == 1)
            .Join(db.Messages, d => d.TrackingId, m => m.TrackingId, (d, m) => new { m.Agency, d.Decision }).ToListAsync(ct);
        var rows = decisions.Select(d => new
            {
                d.Agency,
                Findings = JsonSerializer.Deserialize<RoutingDecision>(d.Decision, ContractJson.Options)?.Warnings
                    .Count(w => w.Code.StartsWith("LANG-", StringComparison.Ordinal)) ?? 0,
            })
            .GroupBy(d => d.Agency).OrderBy(g => g.Key)
            .Select(g => new LanguageFeedbackRow(g.Key, g.Count(), g.Count(d => d.Findings > 0), g.Sum(d => d.Findings))).ToList();
        return new InsightSnapshot(true, rows);
    }
}
