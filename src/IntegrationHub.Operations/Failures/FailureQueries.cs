using IntegrationHub.Persistence;
using IntegrationHub.Persistence.Failures;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Operations.Failures;

/// <summary>One failed or refused item: ids and cause, never content.</summary>
public sealed record FailureItem(string Source, Guid Id, Guid? TrackingId, string? Agency, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, int Occurrences);

/// <summary>Failures with the same cause: the exception type (or refusal) and the shape of its message.</summary>
public sealed record FailureGroup(string Source, string Cause, string ExceptionType, string MessageShape, int Count,
    DateTimeOffset FirstSeen, DateTimeOffset LastSeen, IReadOnlyList<FailureItem> Items);

public sealed record FailureSnapshot(int Open, int Quarantined, IReadOnlyList<FailureGroup> Groups);

/// <summary>Router failures (after retries; the error queue's contents as recorded from their faults) and quarantined input, grouped by cause.</summary>
public sealed class FailureQueries(IDbContextFactory<HubDbContext> dbFactory)
{
    public const string Routing = "routing";
    public const string Quarantine = "quarantine";

    public async Task<FailureSnapshot> OpenAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var failures = await db.Set<FailureRecord>().AsNoTracking().Where(f => f.Status == FailureStatus.Open).ToListAsync(ct);
        var ids = failures.Select(f => f.TrackingId).ToList();
        var agencies = await db.Messages.AsNoTracking().Where(m => ids.Contains(m.TrackingId))
            .Select(m => new { m.TrackingId, m.Agency }).ToDictionaryAsync(m => m.TrackingId, m => m.Agency, ct);
        var routing = failures.GroupBy(f => f.Cause).Select(g => new FailureGroup(Routing, g.Key, g.First().ExceptionType, g.First().MessageShape,
            g.Count(), g.Min(f => f.FirstSeen), g.Max(f => f.LastSeen),
            g.OrderBy(f => f.FirstSeen).Select(f => new FailureItem(Routing, f.Id, f.TrackingId, agencies.GetValueOrDefault(f.TrackingId),
                f.FirstSeen, f.LastSeen, f.Occurrences)).ToList()));

        var held = await db.Quarantine.AsNoTracking().Where(q => q.Status == QuarantineStatus.Held)
            .Select(q => new { q.Id, q.At, q.Agency, q.Channel, q.Reason }).ToListAsync(ct);
        var quarantine = held.GroupBy(q => (q.Channel, Title: TitleOf(q.Reason))).Select(g => new FailureGroup(Quarantine,
            $"{g.Key.Channel}:{g.Key.Title}", "Refused input", $"{g.Key.Title} ({g.Key.Channel})", g.Count(), g.Min(q => q.At), g.Max(q => q.At),
            g.OrderBy(q => q.At).Select(q => new FailureItem(Quarantine, q.Id, null, q.Agency, q.At, q.At, 1)).ToList()));

        var groups = routing.Concat(quarantine).OrderByDescending(g => g.LastSeen).ToList();
        return new FailureSnapshot(failures.Count, held.Count, groups);
    }

    /// <summary>The refusal's title (before the field details, which name fields and may quote values).</summary>
    private static string TitleOf(string reason)
    {
        var colon = reason.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? reason[..colon] : reason;
    }
}
