namespace IntegrationHub.Testing;

/// <summary>How to start a private PostgreSQL cluster.</summary>
public sealed class PostgresNodeOptions
{
    /// <summary>Superuser created by initdb (password authentication over TCP).</summary>
    public string Username { get; init; } = "ihtest";

    /// <summary>The superuser's password.</summary>
    public string Password { get; init; } = "ihtest-dev-only";

    /// <summary>Database created at start-up that <see cref="PostgresNode.ConnectionString"/> points at.</summary>
    public string Database { get; init; } = "ihtest";

    /// <summary>Bound on initdb and on each start/stop.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Directory with initdb and pg_ctl; the newest /usr/lib/postgresql/*/bin when null.</summary>
    public string? BinDirectory { get; init; }

    /// <summary>Turn off fsync and full page writes (faster; data still survives a process kill, not an OS crash). On by default.</summary>
    public bool FastUnsafe { get; init; } = true;

    /// <summary>Extra postgresql.conf lines.</summary>
    public IReadOnlyList<string> ExtraConfigLines { get; init; } = [];

    /// <summary>Keep the temp directory after dispose, for post-mortems.</summary>
    public bool KeepTempDirectory { get; init; }
}
