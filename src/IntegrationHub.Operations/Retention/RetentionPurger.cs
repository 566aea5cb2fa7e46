using IntegrationHub.Operations.Audit;
using IntegrationHub.Operations.Security;
using IntegrationHub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Operations.Retention;

/// <summary>The <c>Hub:Retention</c> section: how long content is kept, per message kind.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Hub:Retention";

    /// <summary>Kept this long when the kind has no entry in <see cref="Kinds"/>.</summary>
    public TimeSpan Default { get; set; } = TimeSpan.FromDays(7 * 365);

    /// <summary>Per message kind (e.g. <c>ConcernRaised</c>): how long its content is kept after it was received.</summary>
    public Dictionary<string, TimeSpan> Kinds { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How often the purge runs; zero turns the background purge off (the command still works).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(24);

    public TimeSpan For(string kind) => Kinds.TryGetValue(kind, out var t) ? t : Default;
}

/// <param name="PatternMentions">Pattern-index entries of the purged messages, deleted (their keys are names, dates of birth, phones, cars).</param>
/// <param name="Patterns">Indexed keys no message names any more, deleted.</param>
public sealed record PurgeResult(int Messages, int Deliveries, bool Vacuumed, int PatternMentions = 0, int Patterns = 0);

/// <summary>
/// After its retention, a message's content (and its deliveries' copies) is erased; a metadata tombstone stays: ids,
/// agency, kind, times, decision and audit. What the lifecycle drew from that content goes with it: the message's
/// entries in the pattern index (their keys are a person's name and date of birth, a phone, a car, a place), the keys
/// no message names any more, and the child's identity on the MARP review list. On SQLite a VACUUM then gives the space back, so erased content is not
/// left in free pages of the file.
/// </summary>
public sealed class RetentionPurger(IDbContextFactory<HubDbContext> dbFactory, IOptions<RetentionOptions> options, TimeProvider clock,
    ILogger<RetentionPurger> logger) : BackgroundService
{
    public static readonly Operator System = new("retention", "system");

    public async Task<PurgeResult> PurgeAsync(Operator who, bool vacuum, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var kinds = await db.Messages.Where(m => m.PurgedAt == null).Select(m => m.Kind).Distinct().ToListAsync(ct);
        int messages = 0, deliveries = 0, mentions = 0;
        foreach (var kind in kinds)
        {
            var cutoff = now - options.Value.For(kind);
            // Only decided messages: an undecided one still needs its content to be routed (or retried).
            var expired = await db.Messages.Where(m => m.PurgedAt == null && m.Kind == kind && m.ReceivedAt < cutoff && m.Status == MessageStatus.Decided)
                .Select(m => m.TrackingId).ToListAsync(ct);
            foreach (var batch in expired.Chunk(500))
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                messages += await db.Messages.Where(m => batch.Contains(m.TrackingId))
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.Payload, "").SetProperty(m => m.BodySha256, (byte[]?)null).SetProperty(m => m.PurgedAt, now), ct);
                deliveries += await db.Deliveries.Where(d => batch.Contains(d.TrackingId) && d.SentAt != null)
                    .ExecuteUpdateAsync(s => s.SetProperty(d => d.Payload, ""), ct);
                mentions += await db.PatternMentions.Where(m => batch.Contains(m.TrackingId)).ExecuteDeleteAsync(ct);
                await db.MarpReviewList.Where(m => batch.Contains(m.TrackingId) && m.ChildIdentity != "")
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.ChildIdentity, ""), ct);
                db.Audit.Add(OperatorAudit.Entry(who, "ContentPurged", $"retention of {kind} ({options.Value.For(kind)}) passed for {batch.Length} messages", now));
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }
        }
        // A key no message names any more: nothing can link to it until a message names it again, which starts it afresh.
        // A writer racing this finds its head gone, fails its conditional update and retries with a new head.
        var patterns = mentions == 0 ? 0 : await db.Patterns
            .Where(p => !db.PatternMentions.Any(m => m.KeyKind == p.KeyKind && m.Key == p.Key)).ExecuteDeleteAsync(ct);
        var vacuumed = false;
        if (vacuum && messages > 0 && db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);", ct);
            await db.Database.ExecuteSqlRawAsync("VACUUM;", ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);", ct);
            vacuumed = true;
        }
        if (messages > 0)
            logger.LogInformation("Retention purged the content of {Messages} messages and {Deliveries} deliveries, {Mentions} pattern-index entries and {Patterns} keys",
                messages, deliveries, mentions, patterns);
        return new PurgeResult(messages, deliveries, vacuumed, mentions, patterns);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Interval <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try { await PurgeAsync(System, vacuum: true, stoppingToken); }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested) { logger.LogWarning(ex, "Retention purge failed; will try again"); }
        }
    }
}
