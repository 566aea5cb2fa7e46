using System.Globalization;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Persistence;
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

/// <summary>The lifecycle's outputs for operators: alerted patterns and the MARP review list, without personal data.</summary>
public sealed class LifecycleQueries(IDbContextFactory<HubDbContext> dbFactory, IOptions<ProtocolOptions> protocol, TimeProvider clock, ChildKeys keys)
{
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
