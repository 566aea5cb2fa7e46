using System.ComponentModel.DataAnnotations;

namespace IntegrationHub.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>The <c>Hub:Database</c> section.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Hub:Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Defaults to a SQLite file in the hub's data directory.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Seconds a command may take before it is abandoned and retried.</summary>
    [Range(1, 600)]
    public int CommandTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Most decisions (or sent-marks) committed in one transaction. Messages arriving together share one commit and
    /// one disk flush; each is still acknowledged only after its own work is durable (docs/decisions/0006).
    /// </summary>
    [Range(1, 10_000)]
    public int GroupCommitMaxBatch { get; set; } = 256;

    /// <summary>Group commits in flight at once on PostgreSQL for receipts and sent-marks (decisions always use one: their pattern rows would collide; SQLite has one writer, so it always uses one).</summary>
    [Range(1, 64)]
    public int GroupCommitWriters { get; set; } = 2;

    /// <summary>
    /// PostgreSQL only: statements each connection prepares once and reuses (Npgsql's <c>Max Auto Prepare</c>), so the
    /// server does not parse and plan the same insert for every row; 0 turns it off. A non-zero <c>Max Auto Prepare</c>
    /// in the connection string wins.
    /// </summary>
    [Range(0, 1_000)]
    public int AutoPrepareStatements { get; set; } = 64;

    /// <summary>
    /// PostgreSQL only: the fill factor of the <c>deliveries</c> table, in percent. Below 100, each page keeps room for
    /// the sent-mark's new row version, so PostgreSQL logs only the changed bytes of the 1–2 KB row instead of all of it:
    /// less WAL (to disk, replicas and archives) for a larger table. Measured at 50: about 1.5 KB less WAL per concern
    /// (a tenth), a table 30% larger, no change in speed (docs/decisions/0011). Applied at every start-up; it shapes
    /// pages written from then on.
    /// </summary>
    [Range(10, 100)]
    public int DeliveriesFillFactor { get; set; } = 100;
}
