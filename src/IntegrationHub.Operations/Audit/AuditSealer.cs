using IntegrationHub.Persistence;
using IntegrationHub.Persistence.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Operations.Audit;

/// <summary>The <c>Hub:Audit</c> section.</summary>
public sealed class AuditOptions
{
    public const string SectionName = "Hub:Audit";

    /// <summary>How often new audit entries are chained.</summary>
    public TimeSpan SealInterval { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>Chains new audit entries every few seconds (docs/decisions/0005-audit-hash-chain.md).</summary>
public sealed class AuditSealer(IDbContextFactory<HubDbContext> dbFactory, IOptions<AuditOptions> options, TimeProvider clock, ILogger<AuditSealer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SealInterval, clock);
        do
        {
            try
            {
                await AuditChain.SealAsync(dbFactory, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Another instance may have sealed the same entries first (unique chain index); the next tick carries on.
                logger.LogWarning(ex, "Sealing the audit chain failed; will try again");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
