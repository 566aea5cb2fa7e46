using System.Diagnostics;
using System.Globalization;
using System.Text;
using IntegrationHub.Testing;

namespace IntegrationHub.FaultTests.Harness;

/// <summary>The hub's built host (IntegrationHub.Host.dll) run as a child process, so it can be SIGKILLed and started again.</summary>
public sealed class HubProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _environment;
    private readonly string _logFile;
    private readonly string _folder;
    private readonly object _logLock = new();
    private Process? _process;

    public HubProcess(IDictionary<string, string?> settings, string logFile)
    {
        Port = FreePort.Get();
        _logFile = logFile;
        _folder = Path.GetDirectoryName(Path.GetFullPath(logFile))!;
        _environment = new Dictionary<string, string?>(settings)
        {
            ["Urls"] = $"http://127.0.0.1:{Port}",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };
        foreach (var agency in new[] { "health", "police", "education", "probation", "yot" })
            _environment.TryAdd($"Hub__Agencies__{agency}__ApiKey", $"{agency}-fault-key-0123456789abcdef");
        _environment.TryAdd("Hub__Operations__ApiKey", "operations-fault-key-0123456789abcdef");
        _environment.TryAdd("Logging__LogLevel__Default", "Warning");
        _environment.TryAdd("Logging__LogLevel__Microsoft.Hosting.Lifetime", "Information");
    }

    public int Port { get; }

    public int? Pid => _process is { HasExited: false } p ? p.Id : null;

    public Process? Process => _process;

    public int Starts { get; private set; }

    /// <summary>Settings for a hub on RabbitMQ and PostgreSQL.</summary>
    public static Dictionary<string, string?> Settings(int amqpPort, string postgres, string dataDirectory) => new()
    {
        ["Hub__Transport"] = "RabbitMq",
        ["Hub__RabbitMq__Host"] = "127.0.0.1",
        ["Hub__RabbitMq__Port"] = amqpPort.ToString(CultureInfo.InvariantCulture),
        ["Hub__RabbitMq__Username"] = "guest",
        ["Hub__RabbitMq__Password"] = "guest",
        ["Hub__Database__Provider"] = "Postgres",
        // The test nodes hand out unpooled connection strings; a hub runs with a pool (a new backend per query is far slower).
        ["Hub__Database__ConnectionString"] = new Npgsql.NpgsqlConnectionStringBuilder(postgres) { Pooling = true, MaxPoolSize = 50 }.ConnectionString,
        ["Hub__DataDirectory"] = dataDirectory,
    };

    /// <summary>Where the host was built: the same configuration as the running assembly (Debug or Release).</summary>
    public static string HostDll()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var dll = Path.Combine(Repository.Root, "src", "IntegrationHub.Host", "bin", configuration, "net10.0", "IntegrationHub.Host.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build the host first ({configuration}): {dll}", dll);
    }

    /// <summary>Starts the hub and waits until /health answers 200 (database and bus up).</summary>
    public async Task StartAsync(TimeSpan? timeout = null)
    {
        if (_process is { HasExited: false }) throw new InvalidOperationException("The hub is already running.");
        // The harness's folder, claimed and named on the command line (a configuration key the hub does not read), so
        // that a hub left running by a killed harness is found and stopped by the next one (StaleNodes).
        Directory.CreateDirectory(_folder);
        StaleNodes.Claim(_folder);
        var psi = ProcessRunner.CreateStartInfo("dotnet", [HostDll(), $"--TestHarnessFolder={_folder}"], _environment, Path.GetDirectoryName(HostDll()));
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process?.Dispose();
        _process = process;
        Starts++;
        Append($"---- hub start #{Starts} pid {process.Id} ----");
        await WaitHealthyAsync(timeout);
    }

    /// <summary>Waits until /health answers 200.</summary>
    public async Task WaitHealthyAsync(TimeSpan? timeout = null)
    {
        var process = _process ?? throw new InvalidOperationException("Not started.");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(120));
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"The hub exited with code {process.ExitCode} while starting.\n{Tail()}");
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{Port}/health"));
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The hub did not become healthy in time.\n{Tail()}");
    }

    /// <summary>SIGKILL, as a crash would.</summary>
    public async Task KillAsync()
    {
        if (_process is not { HasExited: false } p) return;
        p.Kill(entireProcessTree: false); // SIGKILL on Linux
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await p.WaitForExitAsync(cts.Token);
        Append($"---- hub pid {p.Id} killed (SIGKILL) ----");
    }

    public string Tail(int lines = 60)
    {
        lock (_logLock) return ProcessRunner.TailFile(_logFile, lines);
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_logLock) File.AppendAllText(_logFile, line + "\n", Encoding.UTF8);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try { await p.WaitForExitAsync(cts.Token); } catch (OperationCanceledException) { }
        }
        _process?.Dispose();
        _process = null;
    }
}

public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "IntegrationHub.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("IntegrationHub.sln not found above " + AppContext.BaseDirectory);
    }
}
