using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Persistence;

/// <summary>
/// Creates the schema on an empty database. SQLite is switched to WAL so readers never block the router.
/// See docs/decisions/0003-schema-creation.md for why this is not (yet) migrations.
/// </summary>
public sealed class SchemaInitializer(IDbContextFactory<HubDbContext> factory, ILogger<SchemaInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            var path = db.Database.GetDbConnection().DataSource;
            if (!string.IsNullOrEmpty(path) && Path.GetDirectoryName(Path.GetFullPath(path)) is { } dir)
                Directory.CreateDirectory(dir);
        }
        var created = await db.Database.EnsureCreatedAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=NORMAL;", cancellationToken);
        }
        logger.LogInformation("Database schema {State} ({Provider})", created ? "created" : "already present", db.Database.ProviderName);
    }
}
