using IntegrationHub.Operations.Deadlines;
using IntegrationHub.Operations.Lifecycle;
using IntegrationHub.Persistence;
using IntegrationHub.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Operations.Telemetry;

/// <summary>
/// Gauges on the hub's meter that need the database: quarantine size, overdue deadlines and missing episodes open with no found
/// report past <c>Hub:Lifecycle:OpenEpisodeDays</c>, refreshed every 30 seconds. Counts only, no tags: nothing about a child.
/// </summary>
public sealed class OperationsGauges : BackgroundService
{
    private readonly IDbContextFactory<HubDbContext> _dbFactory;
    private readonly DeadlineQueries _deadlines;
    private readonly LifecycleQueries _lifecycle;
    private readonly TimeProvider _clock;
    private readonly ILogger<OperationsGauges> _logger;
    private int _quarantined;
    private int _overdue;
    private int _openWithoutFound;

    public OperationsGauges(HubMetrics metrics, IDbContextFactory<HubDbContext> dbFactory, DeadlineQueries deadlines, LifecycleQueries lifecycle, TimeProvider clock, ILogger<OperationsGauges> logger)
    {
        _dbFactory = dbFactory;
        _deadlines = deadlines;
        _lifecycle = lifecycle;
        _clock = clock;
        _logger = logger;
        metrics.Meter.CreateObservableGauge("hub.quarantine.size", () => Volatile.Read(ref _quarantined), "{message}", "Refused inputs held in quarantine.");
        metrics.Meter.CreateObservableGauge("hub.deadlines.overdue", () => Volatile.Read(ref _overdue), "{deadline}", "Clocks (return interviews, MASH and LADO decisions) past due and not met.");
        metrics.Meter.CreateObservableGauge("hub.episodes.open_without_found", () => Volatile.Read(ref _openWithoutFound), "{episode}",
            "Missing episodes with no found report Hub:Lifecycle:OpenEpisodeDays or more after they started.");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(30), _clock);
        do
        {
            try
            {
                await using var db = await _dbFactory.CreateDbContextAsync(stoppingToken);
                Volatile.Write(ref _quarantined, await db.Quarantine.CountAsync(q => q.Status == QuarantineStatus.Held, stoppingToken));
                Volatile.Write(ref _overdue, await _deadlines.OverdueCountAsync(stoppingToken));
                Volatile.Write(ref _openWithoutFound, await _lifecycle.OpenEpisodeCountAsync(stoppingToken));
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                _logger.LogDebug(ex, "Refreshing operations gauges failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
