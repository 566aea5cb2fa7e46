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
}
