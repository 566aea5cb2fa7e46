using System.Text.Json;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Ingress.Security;

/// <summary>One key an admin issued for an agency: only its SHA-256 is stored. A retired key works until <see cref="RetiresAt"/>.</summary>
public sealed record IssuedKey(string Sha256, DateTimeOffset? IssuedAt, string IssuedBy, DateTimeOffset? RetiresAt);

/// <summary>An agency's issued keys: the current one (no <see cref="IssuedKey.RetiresAt"/>) and any still in their grace period.</summary>
public sealed record IssuedKeySet(IReadOnlyList<IssuedKey> Keys);

/// <summary>
/// Agency keys issued from the console, API or host command, kept in the database (the <c>settings</c> table, one row per
/// agency, <c>api-key:&lt;agency&gt;</c>) so that every hub instance on one database honours them. Hashes only.
/// </summary>
public sealed class IssuedKeys(IDbContextFactory<HubDbContext> dbFactory, ApiKeyRegistry registry)
{
    private const string Prefix = "api-key:";

    public static string SettingKey(Agency agency) => Prefix + agency.ToString().ToLowerInvariant();

    public async Task<IReadOnlyDictionary<Agency, IssuedKeySet>> LoadAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Settings.AsNoTracking().Where(s => s.Key.StartsWith(Prefix)).ToListAsync(ct);
        var sets = new Dictionary<Agency, IssuedKeySet>();
        foreach (var row in rows)
            if (Enum.TryParse<Agency>(row.Key[Prefix.Length..], ignoreCase: true, out var agency) && Read(row.Value) is { } set)
                sets[agency] = set;
        return sets;
    }

    /// <summary>Reads the issued keys again and applies them to this instance's registry.</summary>
    public async Task RefreshAsync(CancellationToken ct) => registry.ApplyIssued(await LoadAsync(ct));

    public static IssuedKeySet? Read(string json) => JsonSerializer.Deserialize<IssuedKeySet>(json, JsonSerializerOptions.Web);

    public static string Write(IssuedKeySet set) => JsonSerializer.Serialize(set, JsonSerializerOptions.Web);
}

/// <summary>Picks up keys issued on another instance (and the end of grace periods) every <see cref="SecurityOptions.IssuedKeyRefresh"/>.</summary>
public sealed class IssuedKeyRefresher(IssuedKeys keys, IOptions<SecurityOptions> options, TimeProvider clock, ILogger<IssuedKeyRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.IssuedKeyRefresh, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await keys.RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Reading issued agency keys failed; the keys known so far stay in force");
            }
        }
    }
}
