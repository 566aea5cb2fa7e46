using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Persistence;

/// <summary>
/// Creates the schema on an empty database. SQLite is switched to WAL so readers never block the router. On PostgreSQL
/// the deliveries table's fill factor is set, on a new database and an existing one alike (docs/decisions/0011).
/// See docs/decisions/0003-schema-creation.md for why this is not (yet) migrations.
/// </summary>
public sealed class SchemaInitializer(IDbContextFactory<HubDbContext> factory, IOptions<DatabaseOptions> options, ILogger<SchemaInitializer> logger)
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
        if (!created) await AddColumnsAsync(db, cancellationToken);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=NORMAL;", cancellationToken);
        }
        else if (db.Database.IsNpgsql())
        {
            await SetDeliveriesFillFactorAsync(db, options.Value.DeliveriesFillFactor, cancellationToken);
        }
        logger.LogInformation("Database schema {State} ({Provider})", created ? "created" : "already present", db.Database.ProviderName);
    }

    /// <summary>
    /// Nullable columns added since a database may have been created (EnsureCreated never alters an existing schema;
    /// docs/decisions/0003): each is added if missing, so an earlier database keeps working and keeps what it holds.
    /// </summary>
    private static readonly (string Table, string Column, string Postgres, string Sqlite)[] AddedColumns =
    [
        ("quarantine", "Kind", "character varying(64)", "TEXT"),
        ("messages", "BodySha256", "bytea", "BLOB"),
    ];

    private async Task AddColumnsAsync(HubDbContext db, CancellationToken cancellationToken)
    {
        var postgres = db.Database.IsNpgsql();
        foreach (var (table, column, postgresType, sqliteType) in AddedColumns)
        {
            // Names and types are the constants above; neither DDL nor these catalogue reads take them as parameters.
            var exists = postgres
                ? $"SELECT count(*)::int AS \"Value\" FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '{table}' AND column_name = '{column}'"
                : $"SELECT count(*) AS \"Value\" FROM pragma_table_info('{table}') WHERE name = '{column}'";
            if ((await db.Database.SqlQueryRaw<int>(exists).ToListAsync(cancellationToken)).Single() > 0) continue;
            var alter = $"ALTER TABLE \"{table}\" ADD COLUMN \"{column}\" {(postgres ? postgresType : sqliteType)}";
            await db.Database.ExecuteSqlRawAsync(alter, cancellationToken);
            logger.LogInformation("Database schema: column {Table}.{Column} added (created by an earlier build)", table, column);
        }
    }

    /// <summary>The table's fill factor now: 100 when none was ever set.</summary>
    public static async Task<int> DeliveriesFillFactorAsync(HubDbContext db, CancellationToken cancellationToken) =>
        (await db.Database.SqlQueryRaw<int>(
            """
            SELECT coalesce((SELECT split_part(o, '=', 2)::int FROM unnest(c.reloptions) AS o WHERE o LIKE 'fillfactor=%'), 100) AS "Value"
            FROM pg_class c WHERE c.oid = 'deliveries'::regclass
            """).ToListAsync(cancellationToken)).Single();

    // ALTER TABLE takes a lock that waits for a running vacuum of the table, so it is issued only when the setting differs.
    private async Task SetDeliveriesFillFactorAsync(HubDbContext db, int fillFactor, CancellationToken cancellationToken)
    {
        var current = await DeliveriesFillFactorAsync(db, cancellationToken);
        if (current == fillFactor) return;
        // fillFactor is an int validated to 10–100 (DatabaseOptions); ALTER TABLE takes no parameters.
        var alter = "ALTER TABLE deliveries SET (fillfactor = " + fillFactor.ToString(CultureInfo.InvariantCulture) + ")";
        try
        {
            await db.Database.ExecuteSqlRawAsync(alter, cancellationToken);
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new InvalidOperationException(
                $"Hub:Database:DeliveriesFillFactor is {fillFactor} but the deliveries table's is {current}, and only the table's owner may change it. " +
                $"Run \"{alter}\" as the owner, or set Hub:Database:DeliveriesFillFactor to {current}.", e);
        }
        logger.LogInformation("Deliveries fill factor set to {FillFactor} (was {Previous}); it applies to pages written from now on", fillFactor, current);
    }
}
