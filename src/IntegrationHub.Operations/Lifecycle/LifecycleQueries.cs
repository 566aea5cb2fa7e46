using System.Globalization;
using System.Linq.Expressions;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Lifecycle;
using IntegrationHub.Persistence;
using IntegrationHub.Persistence.Lifecycle;
using IntegrationHub.Protocol;
using IntegrationHub.Routing.Sharing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Operations.Lifecycle;

/// <summary>
/// One pattern of concern (PAT-01) as operators see it: the kind of link and a fingerprint of it, never the key itself
/// (a name, a VRM, a phone number, a postcode); pseudonymous child keys; agencies; times; whom it was sent to.
/// </summary>
/// <param name="Status"><c>Active</c> while the key was last named within the pattern window, <c>Past window</c> after.</param>
/// <param name="RecipientsAlerted">Recipients of the latest revision's alert, each with <c>sent</c> or <c>pending</c>.</param>
public sealed record PatternRow(Guid PatternId, string KeyKind, string KeyFingerprint, int Children, IReadOnlyList<string> ChildKeys,
    IReadOnlyList<string> Agencies, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, DateTimeOffset? DetectedAt, DateTimeOffset? UpdatedAt,
    int Revision, string Status, IReadOnlyList<string> RecipientsAlerted);

public sealed record PatternSnapshot(int WindowDays, int ChildrenForAPattern, IReadOnlyList<PatternRow> Patterns);

/// <summary>A child on the MARP's monthly review list (MIS-01), metadata only: the identity goes to the MARP key alone.</summary>
/// <param name="TrackingId">The missing report that put the child on the list; a supervisor may open it with a reason.</param>
public sealed record MarpReviewRow(string Month, string ChildKey, int MissingEpisodes, string Reason, DateTimeOffset AddedAt, Guid TrackingId);

public sealed record MarpReviewSnapshot(string Month, int RegularlyMissingEpisodes, int WindowDays, IReadOnlyList<string> Months, IReadOnlyList<MarpReviewRow> Children);

/// <summary>
/// A missing episode still open with no found report, as operators see it: ids, times, flags and who reported it. Never the
/// police reference (an identifier of the child's case) or the child's identity; the child is a pseudonymous key.
/// </summary>
/// <param name="EpisodeId">The episode; <c>GET /api/v1/missing-episodes/{id}</c> (operations key) gives its history.</param>
/// <param name="StartedAt">Last seen, else reported (what MIS-01 counts).</param>
/// <param name="DaysOpen">Whole days from <paramref name="StartedAt"/> to now.</param>
/// <param name="ReportedBy">The agencies whose missing reports the episode holds (the police force).</param>
/// <param name="MissingReport">The first missing report's tracking id, for the message page.</param>
public sealed record OpenEpisodeRow(Guid EpisodeId, string? ChildKey, DateTimeOffset? ReportedAt, DateTimeOffset StartedAt, int DaysOpen,
    bool KnownCseRisk, bool MissingFromCare, IReadOnlyList<string> ReportedBy, Guid? MissingReport);

/// <summary>Episodes open with no found report <see cref="OpenEpisodeDays"/> days after they started, oldest first.</summary>
public sealed record OpenEpisodeSnapshot(DateTimeOffset At, int OpenEpisodeDays, int Count, IReadOnlyList<OpenEpisodeRow> Episodes);

/// <summary>The lifecycle's outputs for operators: alerted patterns, the MARP review list and long-open missing episodes, without personal data.</summary>
public sealed class LifecycleQueries(IDbContextFactory<HubDbContext> dbFactory, IOptions<ProtocolOptions> protocol, IOptions<LifecycleOptions> lifecycle,
    TimeProvider clock, ChildKeys keys)
{
    /// <summary>
    /// Missing episodes with no found report that started at least <see cref="LifecycleOptions.OpenEpisodeDays"/> days ago
    /// (state <c>Missing</c>, no return): the return-interview clock starts at the found report, so when it is lost or never
    /// sent nothing else shows the child is still missing. An episode opened by an interview is not listed (the child was seen).
    /// </summary>
    public async Task<OpenEpisodeSnapshot> OpenEpisodesAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var days = lifecycle.Value.OpenEpisodeDays;
        var startedBy = now.AddDays(-days);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Never select PoliceReference: it identifies the child's case, and operators see keys and counts only.
        var episodes = await db.MissingEpisodes.AsNoTracking()
            .Where(OpenWithoutFound(startedBy))
            .OrderBy(e => e.StartedAt)
            .Select(e => new { e.Id, e.ChildKey, e.ReportedAt, e.StartedAt, e.KnownCseRisk, e.MissingFromCare })
            .ToListAsync(ct);
        var ids = episodes.Select(e => e.Id).ToList();
        var reports = await (
                from step in db.MissingEpisodeEvents.AsNoTracking()
                where ids.Contains(step.EpisodeId) && step.Event == "ReportedMissing" && step.TrackingId != null
                join m in db.Messages.AsNoTracking() on step.TrackingId equals m.TrackingId into messages
                from m in messages.DefaultIfEmpty()
                select new { step.Id, step.EpisodeId, TrackingId = step.TrackingId!.Value, Agency = m == null ? null : m.Agency })
            .ToListAsync(ct);
        var byEpisode = reports.OrderBy(r => r.Id).ToLookup(r => r.EpisodeId);
        var rows = episodes.Select(e => new OpenEpisodeRow(e.Id, e.ChildKey, e.ReportedAt, e.StartedAt, (int)Math.Floor((now - e.StartedAt).TotalDays),
            e.KnownCseRisk, e.MissingFromCare, [.. byEpisode[e.Id].Select(r => r.Agency ?? "?").Distinct(StringComparer.Ordinal)],
            byEpisode[e.Id].Select(r => (Guid?)r.TrackingId).FirstOrDefault())).ToList();
        return new OpenEpisodeSnapshot(now, days, rows.Count, rows);
    }

    /// <summary>Still <c>Missing</c>, never returned, and started on or before <paramref name="startedBy"/>.</summary>
    private static Expression<Func<MissingEpisodeRecord, bool>> OpenWithoutFound(DateTimeOffset startedBy) =>
        e => e.State == EpisodeState.Missing && e.ReturnedAt == null && e.StartedAt <= startedBy;

    /// <summary>How many episodes <see cref="OpenEpisodesAsync"/> lists, for the <c>hub.episodes.open_without_found</c> gauge: one count.</summary>
    public async Task<int> OpenEpisodeCountAsync(CancellationToken ct)
    {
        var startedBy = clock.GetUtcNow().AddDays(-lifecycle.Value.OpenEpisodeDays);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.MissingEpisodes.CountAsync(OpenWithoutFound(startedBy), ct);
    }

    private static readonly Recipient[] PatternRecipients = [Recipient.Marp, Recipient.Police];

    public async Task<PatternSnapshot> PatternsAsync(int take, CancellationToken ct)
    {
        var options = protocol.Value;
        var windowStart = clock.GetUtcNow().AddDays(-options.PatternWindowDays);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Patterns.AsNoTracking().Where(p => p.DetectedAt != null)
            .OrderByDescending(p => p.LastSeen).Take(Math.Clamp(take, 1, 1000)).ToListAsync(ct);
        var alertIds = rows.SelectMany(p => PatternRecipients.Select(r => DeliveryIds.For($"pattern/{p.Id:N}/{p.Revision}/{r}"))).ToList();
        var sent = await db.Deliveries.AsNoTracking().Where(d => alertIds.Contains(d.DeliveryId))
            .Select(d => new { d.DeliveryId, d.SentAt }).ToDictionaryAsync(d => d.DeliveryId, d => d.SentAt, ct);
        var patterns = rows.Select(p =>
        {
            var children = p.ChildKeys.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var alerted = PatternRecipients
                .Where(r => sent.ContainsKey(DeliveryIds.For($"pattern/{p.Id:N}/{p.Revision}/{r}")))
                .Select(r => $"{r} ({(sent[DeliveryIds.For($"pattern/{p.Id:N}/{p.Revision}/{r}")] is null ? "pending" : "sent")})")
                .ToList();
            return new PatternRow(p.Id, p.KeyKind, keys.PatternFingerprint(p.KeyKind, p.Key), children.Length, children,
                p.Agencies.Split(' ', StringSplitOptions.RemoveEmptyEntries), p.FirstSeen, p.LastSeen, p.DetectedAt, p.UpdatedAt, p.Revision,
                p.LastSeen >= windowStart ? "Active" : "Past window", alerted);
        }).ToList();
        return new PatternSnapshot(options.PatternWindowDays, options.PatternChildren, patterns);
    }

    /// <param name="month"><c>YYYY-MM</c>; when empty, the current month where the partnership works (<see cref="ProtocolOptions.TimeZone"/>), as the list is kept.</param>
    public async Task<MarpReviewSnapshot?> MarpReviewListAsync(string? month, CancellationToken ct)
    {
        month = string.IsNullOrWhiteSpace(month)
            ? LocalDates.Of(clock.GetUtcNow(), protocol.Value.TimeZone).ToString("yyyy-MM", CultureInfo.InvariantCulture)
            : month.Trim();
        if (!DateTime.TryParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)) return null;
        var options = protocol.Value;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Never select ChildIdentity: it is the MARP's, not the operators'.
        var rows = await db.MarpReviewList.AsNoTracking().Where(m => m.Month == month).OrderBy(m => m.Id)
            .Select(m => new { m.Month, m.ChildKey, m.EpisodeCount, m.AddedAt, m.TrackingId }).ToListAsync(ct);
        var months = await db.MarpReviewList.AsNoTracking().Select(m => m.Month).Distinct().ToListAsync(ct);
        return new MarpReviewSnapshot(month, options.RegularlyMissingEpisodes, options.RegularlyMissingWindowDays, [.. months.Append(month).Distinct().OrderDescending(StringComparer.Ordinal)],
            [.. rows.Select(r => new MarpReviewRow(r.Month, r.ChildKey, r.EpisodeCount,
                $"MIS-01 regularly missing: {r.EpisodeCount} episodes within {options.RegularlyMissingWindowDays} days (threshold {options.RegularlyMissingEpisodes})",
                r.AddedAt, r.TrackingId))]);
    }
}
