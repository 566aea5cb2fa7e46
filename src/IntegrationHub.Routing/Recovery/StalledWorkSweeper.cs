using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Contracts.Referrals;
using IntegrationHub.Persistence;
using IntegrationHub.Persistence.Failures;
using IntegrationHub.Routing.Sharing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Routing.Recovery;

public sealed class RecoveryOptions
{
    public const string SectionName = "Hub:Recovery";

    /// <summary>How often to look for stalled work.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Work older than this with no progress is taken to be stalled.</summary>
    public TimeSpan StalledAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Most items taken per sweep.</summary>
    public int BatchSize { get; set; } = 500;
}

/// <summary>
/// Finds what a crash or an outage left half done and finishes it: concerns accepted over HTTP but never decided are
/// published again (same message id, so the router's inbox makes this harmless), and deliveries staged but never
/// sent are sent. The database is the record of what is owed, so nothing accepted is lost.
/// </summary>
public sealed class StalledWorkSweeper(
    IServiceScopeFactory scopes,
    IDbContextFactory<HubDbContext> dbFactory,
    IOptions<RecoveryOptions> options,
    TimeProvider clock,
    ILogger<StalledWorkSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken) =>
        await PeriodicSweep.RunAsync(options.Value.Interval, clock, SweepAsync, logger, "Sweep for stalled work", stoppingToken);

    /// <summary>Messages accepted and recorded before they are published: a concern, and the missing-episode steps.</summary>
    public static readonly IReadOnlyDictionary<string, Type> KindTypes = new Dictionary<string, Type>
    {
        [nameof(ConcernRaised)] = typeof(ConcernRaised),
        [nameof(Contracts.MissingEpisodes.ChildReportedMissing)] = typeof(Contracts.MissingEpisodes.ChildReportedMissing),
        [nameof(Contracts.MissingEpisodes.ChildFound)] = typeof(Contracts.MissingEpisodes.ChildFound),
        [nameof(Contracts.ReturnInterviews.ReturnInterviewCompleted)] = typeof(Contracts.ReturnInterviews.ReturnInterviewCompleted),
    };

    private static readonly string[] Republishable = [.. KindTypes.Keys];

    public async Task<(int Republished, int Resent)> SweepAsync(CancellationToken ct)
    {
        var cutoff = clock.GetUtcNow() - options.Value.StalledAfter;
        var batch = options.Value.BatchSize;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stalled = await db.Messages.AsNoTracking()
            .Where(m => m.Status == MessageStatus.Received && Republishable.Contains(m.Kind) && m.ReceivedAt < cutoff)
            // A concern that failed routing waits for a person to retry or discard it (operations failures page); once
            // discarded (e.g. the agency sent it again) it is never published again, or it would be decided twice.
            .Where(m => !db.Set<FailureRecord>().Any(f => f.TrackingId == m.TrackingId
                && (f.Status == FailureStatus.Open || f.Status == FailureStatus.Discarded)))
            .OrderBy(m => m.ReceivedAt).Take(batch).ToListAsync(ct);
        var unsent = await db.Deliveries.AsNoTracking()
            .Where(d => d.SentAt == null && d.CreatedAt < cutoff)
            .OrderBy(d => d.CreatedAt).Take(batch).ToListAsync(ct);
        if (stalled.Count == 0 && unsent.Count == 0) return (0, 0);

        // Each item on its own: one that cannot be finished (a payload an upgrade no longer reads, a send the broker
        // refuses) is logged and tried again next time, and stops nothing behind it.
        using var scope = scopes.CreateScope();
        var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        var republished = 0;
        var failures = new List<(Guid TrackingId, Exception Error)>();
        foreach (var record in stalled)
        {
            try
            {
                var type = KindTypes[record.Kind];
                var message = JsonSerializer.Deserialize(record.Payload, type, ContractJson.Options)!;
                await publish.Publish(message, type, c => c.MessageId = record.TrackingId, ct);
                republished++;
            }
            catch (Exception ex) when (PeriodicSweep.IsItemFailure(ex, ct))
            {
                failures.Add((record.TrackingId, ex));
            }
        }
        var sender = scope.ServiceProvider.GetRequiredService<DeliverySender>();
        var endpoints = scope.ServiceProvider.GetRequiredService<ISendEndpointProvider>();
        var sent = 0;
        await Parallel.ForEachAsync(unsent, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (delivery, token) =>
        {
            try
            {
                await sender.SendAsync([delivery], endpoints, token);
                Interlocked.Increment(ref sent);
            }
            catch (Exception ex) when (PeriodicSweep.IsItemFailure(ex, token))
            {
                lock (failures) failures.Add((delivery.TrackingId, ex));
            }
        });
        logger.LogWarning("Recovered stalled work: {Republished} concerns published again, {Resent} deliveries sent", republished, sent);
        // The exception's type and the tracking id only: a payload's text may quote personal data.
        PeriodicSweep.LogItemFailures(failures,
            f => logger.LogError("Stalled work for {TrackingId} could not be finished ({ExceptionType}); it is tried again at the next sweep", f.TrackingId, f.Error.GetType().Name),
            more => logger.LogError("{More} more stalled items could not be finished", more));
        return (republished, sent);
    }
}
