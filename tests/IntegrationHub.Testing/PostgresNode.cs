using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace IntegrationHub.Testing;

/// <summary>
/// A private PostgreSQL cluster (Debian package <c>postgresql</c>) in a temp directory: its own data
/// directory, a free port on 127.0.0.1 only, its unix socket inside the temp directory, a superuser with
/// a password. When this process runs as root, initdb and pg_ctl run as the OS user <c>postgres</c>
/// through <c>runuser</c> (PostgreSQL refuses root), with the temp directory chowned to it.
/// </summary>
public sealed class PostgresNode : IAsyncDisposable
{
    private const string ServiceUser = "postgres";
    private readonly PostgresNodeOptions options;
    private readonly string binDir;
    private bool disposed;

    private PostgresNode(PostgresNodeOptions options)
    {
        this.options = options;
        binDir = options.BinDirectory ?? FindBinDirectory();
        Port = FreePort.Get();
        StaleNodes.SweepOnce(Os.TempRoot);
        TempDirectory = Path.Combine(Os.TempRoot, $"ihtest-pg-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
    }

    /// <summary>TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Superuser name.</summary>
    public string Username => options.Username;

    /// <summary>Superuser password.</summary>
    public string Password => options.Password;

    /// <summary>Temp directory (data, socket, log).</summary>
    public string TempDirectory { get; }

    /// <summary>The data directory.</summary>
    public string DataDirectory => Path.Combine(TempDirectory, "data");

    /// <summary>The server log (pg_ctl -l).</summary>
    public string LogFile => Path.Combine(TempDirectory, "postgres.log");

    /// <summary>Directory of the unix socket.</summary>
    public string SocketDirectory => Path.Combine(TempDirectory, "sock");

    /// <summary>The PostgreSQL major version in use (from the bin directory).</summary>
    public string BinDirectory => binDir;

    /// <summary>Connection string for the default database (<see cref="PostgresNodeOptions.Database"/>).</summary>
    public string ConnectionString => ConnectionStringFor(options.Database);

    /// <summary>Connection string for a database on this node.</summary>
    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = options.Username,
        Password = options.Password,
        Database = database,
        Pooling = false,
        Timeout = 15,
    }.ConnectionString;

    /// <summary>True when the postmaster process runs.</summary>
    public bool IsRunning => PostmasterPid() is { } pid && Os.IsAlive(pid);

    /// <summary>Creates a private cluster, starts it and creates the default database.</summary>
    public static async Task<PostgresNode> StartAsync(PostgresNodeOptions? o = null, CancellationToken ct = default)
    {
        var node = new PostgresNode(o ?? new PostgresNodeOptions());
        try
        {
            await node.InitAsync(ct).ConfigureAwait(false);
            await node.StartAsync(ct).ConfigureAwait(false);
            await node.CreateDatabaseAsync(node.options.Database, ct).ConfigureAwait(false);
            return node;
        }
        catch
        {
            await node.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts the (stopped or killed) server again on the same port and data directory.</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (IsRunning)
        {
            return;
        }

        var seconds = ((int)options.Timeout.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        try
        {
            await PgAsync("pg_ctl", ["-D", DataDirectory, "-l", LogFile, "-w", "-t", seconds, "start"], ct).ConfigureAwait(false);
        }
        catch (ProcessFailedException e)
        {
            throw new InvalidOperationException($"{this} did not start: {e.Message}\n--- log ({LogFile}) ---\n{ProcessRunner.TailFile(LogFile)}", e);
        }

        if (!await Os.WaitUntilAsync(() => FreePort.IsListening(Port), options.Timeout, ct).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"{this} started but does not listen on 127.0.0.1:{Port}.\n--- log ({LogFile}) ---\n{ProcessRunner.TailFile(LogFile)}");
        }
    }

    /// <summary>Graceful stop (<c>pg_ctl stop -m fast</c>). Data stays.</summary>
    public async Task StopAsync()
    {
        if (!IsRunning)
        {
            return;
        }

        var seconds = ((int)options.Timeout.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        try
        {
            await PgAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", seconds, "stop"], CancellationToken.None).ConfigureAwait(false);
        }
        catch (ProcessFailedException) when (!IsRunning)
        {
            // Went down anyway.
        }
    }

    /// <summary>SIGKILLs the postmaster and its children, as a crash would. The next start runs crash recovery.</summary>
    public async Task KillAsync()
    {
        if (PostmasterPid() is not { } pid || !Os.IsAlive(pid))
        {
            return;
        }

        var children = Os.ChildrenOf(pid);
        Os.Kill(pid);
        foreach (var child in children)
        {
            Os.Kill(child);
        }

        await Os.WaitUntilAsync(() => !Os.IsAlive(pid) && children.All(c => !Os.IsAlive(c)), TimeSpan.FromSeconds(30), CancellationToken.None).ConfigureAwait(false);
        await Os.WaitUntilAsync(() => !FreePort.IsListening(Port), TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(false);

        // The killed postmaster was re-parented to PID 1, which may not reap it soon; as a zombie it still
        // passes PostgreSQL's kill(pid, 0) check, and the next start would refuse the "running" lock files.
        // Same for the unix socket's lock file.
        File.Delete(Path.Combine(DataDirectory, "postmaster.pid"));
        foreach (var f in Directory.GetFiles(SocketDirectory))
        {
            File.Delete(f);
        }
    }

    /// <summary>Creates a database (if missing) and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        await using var conn = new NpgsqlConnection(ConnectionStringFor("postgres"));
        await conn.OpenAsync(ct).ConfigureAwait(false);
        await using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @n", conn))
        {
            exists.Parameters.AddWithValue("n", name);
            if (await exists.ExecuteScalarAsync(ct).ConfigureAwait(false) is not null)
            {
                return ConnectionStringFor(name);
            }
        }

        var quoted = "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
#pragma warning disable CA2100 // The identifier is quoted above; CREATE DATABASE takes no parameters.
        await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted}", conn);
#pragma warning restore CA2100
        await create.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        return ConnectionStringFor(name);
    }

    /// <summary>Stops the server and deletes the temp directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            await KillAsync().ConfigureAwait(false);
        }

        if (IsRunning)
        {
            await KillAsync().ConfigureAwait(false);
        }

        if (!options.KeepTempDirectory)
        {
            RabbitMqNode.TryDeleteDirectory(TempDirectory);
        }
        else
        {
            StaleNodes.Keep(TempDirectory);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"PostgreSQL node 127.0.0.1:{Port} (data {DataDirectory}, log {LogFile})";

    private async Task InitAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(TempDirectory);
        StaleNodes.Claim(TempDirectory);
        Directory.CreateDirectory(SocketDirectory);
        var pwFile = Path.Combine(TempDirectory, "pwfile");
        await File.WriteAllTextAsync(pwFile, options.Password + "\n", ct).ConfigureAwait(false);
        File.SetUnixFileMode(pwFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.SetUnixFileMode(TempDirectory, (UnixFileMode)0b111_000_000);
        if (Os.IsRoot)
        {
            if (!Os.UserExists(ServiceUser))
            {
                throw new InvalidOperationException($"Running as root but OS user '{ServiceUser}' does not exist; install the Debian package postgresql (scripts/test.sh does).");
            }

            await Os.ChownAsync(TempDirectory, ServiceUser, ct).ConfigureAwait(false);
        }

        try
        {
            await PgAsync(
                "initdb",
                ["-D", DataDirectory, "-U", options.Username, "--pwfile", pwFile, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"],
                ct).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(pwFile);
        }

        var conf = new StringBuilder()
            .AppendLine()
            .AppendLine("# IntegrationHub.Testing private node")
            .AppendLine(CultureInfo.InvariantCulture, $"port = {Port}")
            .AppendLine("listen_addresses = '127.0.0.1'")
            .AppendLine(CultureInfo.InvariantCulture, $"unix_socket_directories = '{SocketDirectory}'")
            .AppendLine("max_connections = 100")
            .AppendLine("shared_buffers = 32MB");
        if (options.FastUnsafe)
        {
            conf.AppendLine("fsync = off").AppendLine("full_page_writes = off");
        }

        foreach (var line in options.ExtraConfigLines)
        {
            conf.AppendLine(line);
        }

        await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"), conf.ToString(), ct).ConfigureAwait(false);
    }

    private async Task<ProcessResult> PgAsync(string tool, IEnumerable<string> args, CancellationToken ct)
    {
        var exe = Path.Combine(binDir, tool);
        var env = new Dictionary<string, string?> { ["LANG"] = "C.UTF-8", ["LC_ALL"] = "C.UTF-8", ["PGDATA"] = null, ["PGPORT"] = null };
        var timeout = options.Timeout + TimeSpan.FromSeconds(15);
        if (Os.IsRoot)
        {
            return await ProcessRunner.RunAsync("runuser", ["-u", ServiceUser, "--", exe, .. args], env, TempDirectory, timeout, ct: ct).ConfigureAwait(false);
        }

        return await ProcessRunner.RunAsync(exe, args, env, TempDirectory, timeout, ct: ct).ConfigureAwait(false);
    }

    private int? PostmasterPid()
    {
        try
        {
            var file = Path.Combine(DataDirectory, "postmaster.pid");
            if (!File.Exists(file))
            {
                return null;
            }

            using var reader = new StreamReader(new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
            return int.TryParse(reader.ReadLine(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string FindBinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        if (Directory.Exists(root))
        {
            var newest = Directory.GetDirectories(root)
                .Select(d => (Dir: d, Ok: int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v), Version: v))
                .Where(x => x.Ok && File.Exists(Path.Combine(x.Dir, "bin", "initdb")) && File.Exists(Path.Combine(x.Dir, "bin", "pg_ctl")))
                .OrderByDescending(x => x.Version)
                .FirstOrDefault();
            if (newest.Dir is not null)
            {
                return Path.Combine(newest.Dir, "bin");
            }
        }

        throw new InvalidOperationException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb). Install the Debian package postgresql, or run scripts/test.sh which installs it.");
    }
}
