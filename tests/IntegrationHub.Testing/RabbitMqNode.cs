using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace IntegrationHub.Testing;

/// <summary>
/// A private RabbitMQ node run as a local process (Debian package <c>rabbitmq-server</c>), with its own
/// node name, ports, Erlang cookie, mnesia, log and pid locations under a temp directory. It never
/// touches a system RabbitMQ (5672/25672/15672) or nodes of parallel test runs. Listeners bind 127.0.0.1.
/// </summary>
/// <remarks>
/// When this process runs as root the node runs as the OS user <c>rabbitmq</c> (like Debian's wrapper
/// does) through <c>runuser -m</c>, with the temp directory chowned to it. The Erlang cookie lives in a
/// private HOME (<c>&lt;temp&gt;/home/.erlang.cookie</c>) which both the server and every
/// <c>rabbitmqctl</c> call use.
/// </remarks>
public sealed class RabbitMqNode : IAsyncDisposable
{
    private const string ServiceUser = "rabbitmq";
    private static readonly ConcurrentDictionary<RabbitMqNode, byte> Live = new();
    private static int exitHookInstalled;

    private readonly RabbitMqNodeOptions options;
    private readonly string binDir;
    private readonly string cookie;
    private readonly int ctlDistPortMin;
    private Process? server;
    private bool disposed;

    private RabbitMqNode(RabbitMqNodeOptions options, string nodeName, string cookie)
    {
        this.options = options;
        this.cookie = cookie;
        NodeName = nodeName;
        binDir = options.RabbitMqBinDirectory ?? FindBinDirectory();
        var basePort = FreePort.GetRange(14);
        AmqpPort = basePort;
        ManagementPort = basePort + 1;
        DistributionPort = basePort + 2;
        ctlDistPortMin = basePort + 3;
        AmqpsPort = basePort + 13;
        StaleNodes.SweepOnce(Os.TempRoot);
        TempDirectory = Path.Combine(Os.TempRoot, $"ihtest-rmq-{NodeName.Split('@')[0]}");
    }

    /// <summary>Erlang node name, e.g. <c>ihtest-1a2b3c4d@localhost</c>.</summary>
    public string NodeName { get; }

    /// <summary>AMQP 0-9-1 port on 127.0.0.1.</summary>
    public int AmqpPort { get; }

    /// <summary>AMQP over TLS port on 127.0.0.1 (when <see cref="RabbitMqNodeOptions.EnableTls"/>).</summary>
    public int AmqpsPort { get; }

    /// <summary>The PEM file of the CA that issued the node's TLS certificate (when <see cref="RabbitMqNodeOptions.EnableTls"/>): what a client must trust.</summary>
    public string TlsCaCertificateFile => Path.Combine(TempDirectory, "tls", "ca.pem");

    /// <summary>Management API port on 127.0.0.1 (when the plugin is enabled): HTTP, or HTTPS with <see cref="RabbitMqNodeOptions.ManagementOverTls"/>.</summary>
    public int ManagementPort { get; }

    /// <summary>Erlang distribution (inter-node and CLI) port.</summary>
    public int DistributionPort { get; }

    /// <summary><c>amqp://guest:guest@127.0.0.1:PORT/</c> (guest may connect from anywhere on this node).</summary>
    public Uri AmqpUri => new($"amqp://guest:guest@127.0.0.1:{AmqpPort}/");

    /// <summary>An AMQP URI for another user of this node.</summary>
    public Uri AmqpUriFor(string user, string password) =>
        new($"amqp://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password)}@127.0.0.1:{AmqpPort}/");

    /// <summary>Management base URL, e.g. <c>http://127.0.0.1:PORT/</c> (<c>https</c> with <see cref="RabbitMqNodeOptions.ManagementOverTls"/>).</summary>
    public Uri ManagementUri => new($"{(options.ManagementOverTls ? "https" : "http")}://127.0.0.1:{ManagementPort}/");

    /// <summary>Temp directory holding config, mnesia, logs and pid file.</summary>
    public string TempDirectory { get; }

    /// <summary>The node's main log file.</summary>
    public string LogFile => Path.Combine(TempDirectory, "log", $"{NodeName}.log");

    /// <summary>Where the server process's stdout/stderr go.</summary>
    public string ConsoleLogFile => Path.Combine(TempDirectory, "server.out");

    /// <summary>The pid file the node writes (holds the beam.smp pid).</summary>
    public string PidFile => Path.Combine(TempDirectory, "rabbitmq.pid");

    /// <summary>True while the server process runs.</summary>
    public bool IsRunning => server is { HasExited: false };

    /// <summary>Starts a private node and waits until it is fully booted (and definitions, if any, are imported).</summary>
    public static async Task<RabbitMqNode> StartAsync(RabbitMqNodeOptions? o = null, CancellationToken ct = default)
    {
        o ??= new RabbitMqNodeOptions();
        var node = new RabbitMqNode(o, $"{o.NodeNamePrefix}-{RandomSuffix()}@localhost", o.ErlangCookie ?? RandomCookie());
        try
        {
            await node.PrepareAsync(ct).ConfigureAwait(false);
            await node.StartProcessAsync(ct).ConfigureAwait(false);
            if (o.DefinitionsFile is not null)
            {
                await node.ImportDefinitionsAsync(o.DefinitionsFile, ct).ConfigureAwait(false);
            }

            return node;
        }
        catch
        {
            await node.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Starts <paramref name="nodes"/> private nodes sharing one Erlang cookie and joins them into one
    /// cluster (<c>stop_app</c>, <c>join_cluster &lt;first&gt;</c>, <c>start_app</c>). The first element
    /// is the node the others joined.
    /// </summary>
    public static async Task<RabbitMqNode[]> StartClusterAsync(int nodes, RabbitMqNodeOptions? o = null, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 1);
        o ??= new RabbitMqNodeOptions();
        var cookie = o.ErlangCookie ?? RandomCookie();
        var prefix = $"{o.NodeNamePrefix}-{RandomSuffix()}";
        var members = Enumerable.Range(1, nodes)
            .Select(i => new RabbitMqNode(o, $"{prefix}-{i}@localhost", cookie))
            .ToArray();
        try
        {
            await Task.WhenAll(members.Select(async m =>
            {
                await m.PrepareAsync(ct).ConfigureAwait(false);
                await m.StartProcessAsync(ct).ConfigureAwait(false);
            })).ConfigureAwait(false);

            var first = members[0];
            foreach (var m in members.Skip(1))
            {
                await m.CtlAsync(["stop_app"], ct).ConfigureAwait(false);
                await m.CtlAsync(["join_cluster", first.NodeName], ct).ConfigureAwait(false);
                await m.CtlAsync(["start_app"], ct).ConfigureAwait(false);
                await m.CtlAsync(["await_startup", "--timeout", ((int)o.StartTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture)], ct, o.StartTimeout + TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }

            var running = await first.RunningClusterNodesAsync(ct).ConfigureAwait(false);
            var missing = members.Select(m => m.NodeName).Except(running).ToList();
            if (missing.Count > 0)
            {
                throw new InvalidOperationException($"RabbitMQ cluster did not form: {string.Join(", ", missing)} not running in cluster of {first.NodeName} (running: {string.Join(", ", running)}). Logs: {string.Join(", ", members.Select(m => m.LogFile))}");
            }

            if (o.DefinitionsFile is not null)
            {
                await first.ImportDefinitionsAsync(o.DefinitionsFile, ct).ConfigureAwait(false);
            }

            return members;
        }
        catch
        {
            await Task.WhenAll(members.Select(m => m.DisposeAsync().AsTask())).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs <c>rabbitmqctl -n NODE args...</c> with this node's cookie and returns its stdout; throws with the output on failure.</summary>
    public async Task<string> RabbitMqCtlAsync(params string[] args) =>
        (await CtlAsync(args, CancellationToken.None).ConfigureAwait(false)).StandardOutput;

    /// <summary>Runs any RabbitMQ CLI tool (<c>rabbitmq-queues</c>, <c>rabbitmq-diagnostics</c>, ...) against this node.</summary>
    public async Task<string> RunCliAsync(string tool, IEnumerable<string> args, TimeSpan? timeout = null, CancellationToken ct = default) =>
        (await ToolAsync(tool, args, ct, timeout).ConfigureAwait(false)).StandardOutput;

    /// <summary>Names of the nodes that <c>cluster_status</c> reports as running.</summary>
    public async Task<IReadOnlyList<string>> RunningClusterNodesAsync(CancellationToken ct = default)
    {
        var json = (await CtlAsync(["cluster_status", "--formatter", "json"], ct).ConfigureAwait(false)).StandardOutput;
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("running_nodes").EnumerateArray().Select(e => e.GetString()!).ToList();
    }

    /// <summary>Imports a definitions JSON file into the running node.</summary>
    public async Task ImportDefinitionsAsync(string path, CancellationToken ct = default)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"RabbitMQ definitions file not found: {full}", full);
        }

        // Copy it where the node's user can surely read it.
        var copy = Path.Combine(TempDirectory, "definitions.json");
        File.Copy(full, copy, overwrite: true);
        if (Os.IsRoot)
        {
            await Os.ChownAsync(copy, ServiceUser, ct).ConfigureAwait(false);
        }

        await CtlAsync(["import_definitions", copy], ct).ConfigureAwait(false);
    }

    /// <summary>Graceful stop (<c>rabbitmqctl stop</c>); kills the node if it does not exit in time. Data stays.</summary>
    public async Task StopAsync()
    {
        if (!IsRunning)
        {
            return;
        }

        try
        {
            await CtlAsync(["stop"], CancellationToken.None, options.StopTimeout).ConfigureAwait(false);
        }
        catch (ProcessFailedException) when (!IsRunning)
        {
            // It went down while we asked.
        }
        catch (ProcessFailedException)
        {
            await KillAsync().ConfigureAwait(false);
            return;
        }

        if (!await Os.WaitUntilAsync(() => !IsRunning, options.StopTimeout, CancellationToken.None).ConfigureAwait(false))
        {
            await KillAsync().ConfigureAwait(false);
        }
    }

    /// <summary>SIGKILLs the node's beam.smp process (found by pid file), as a crash would. Data on disk stays.</summary>
    public async Task KillAsync()
    {
        foreach (var pid in BeamPids())
        {
            Os.Kill(pid);
        }

        if (server is { } p)
        {
            if (!await Os.WaitUntilAsync(() => p.HasExited, TimeSpan.FromSeconds(30), CancellationToken.None).ConfigureAwait(false))
            {
                ProcessRunner.TryKillTree(p);
            }
        }

        await Os.WaitUntilAsync(() => !FreePort.IsListening(AmqpPort), TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Starts the node again on the same name, ports and mnesia directory (stopping it first if it runs), so durable queues survive.</summary>
    public async Task RestartAsync()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (IsRunning)
        {
            await StopAsync().ConfigureAwait(false);
        }

        await StartProcessAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Stops the node and deletes its temp directory.</summary>
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

        server?.Dispose();
        Live.TryRemove(this, out _);
        if (!options.KeepTempDirectory)
        {
            TryDeleteDirectory(TempDirectory);
        }
        else
        {
            StaleNodes.Keep(TempDirectory);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"RabbitMQ node {NodeName} (amqp {(options.EnablePlainAmqp ? AmqpPort : "off")}{(options.EnableTls ? $", amqps {AmqpsPort}" : "")}, management {ManagementPort}, dist {DistributionPort}, dir {TempDirectory})";

    private async Task PrepareAsync(CancellationToken ct)
    {
        if (Directory.Exists(TempDirectory))
        {
            TryDeleteDirectory(TempDirectory);
        }

        var home = Path.Combine(TempDirectory, "home");
        Directory.CreateDirectory(home);
        StaleNodes.Claim(TempDirectory);
        Directory.CreateDirectory(Path.Combine(TempDirectory, "mnesia"));
        Directory.CreateDirectory(Path.Combine(TempDirectory, "log"));

        var cookieFile = Path.Combine(home, ".erlang.cookie");
        await File.WriteAllTextAsync(cookieFile, cookie, ct).ConfigureAwait(false);
        File.SetUnixFileMode(cookieFile, UnixFileMode.UserRead);

        var conf = new StringBuilder()
            .AppendLine(options.EnablePlainAmqp ? $"listeners.tcp.default = 127.0.0.1:{AmqpPort}" : "listeners.tcp = none")
            .AppendLine("loopback_users = none")
            .AppendLine("log.file.level = info")
            .AppendLine("log.console = false");
        if (options.ManagementOverTls && !(options.EnableTls && options.EnableManagement))
        {
            throw new InvalidOperationException("ManagementOverTls needs EnableTls (for the certificate) and EnableManagement.");
        }

        var tls = options.EnableTls ? await CreateTlsFilesAsync(ct).ConfigureAwait(false) : default;
        if (options.EnableManagement && options.ManagementOverTls)
        {
            // The same certificate as AMQPS, from the node's own CA.
            conf.AppendLine(CultureInfo.InvariantCulture, $"management.ssl.port = {ManagementPort}")
                .AppendLine("management.ssl.ip = 127.0.0.1")
                .AppendLine(CultureInfo.InvariantCulture, $"management.ssl.cacertfile = {tls.CaCertificate}")
                .AppendLine(CultureInfo.InvariantCulture, $"management.ssl.certfile = {tls.Certificate}")
                .AppendLine(CultureInfo.InvariantCulture, $"management.ssl.keyfile = {tls.Key}");
        }
        else if (options.EnableManagement)
        {
            conf.AppendLine(CultureInfo.InvariantCulture, $"management.tcp.port = {ManagementPort}")
                .AppendLine("management.tcp.ip = 127.0.0.1");
        }

        if (options.EnableTls)
        {
            conf.AppendLine(CultureInfo.InvariantCulture, $"listeners.ssl.default = 127.0.0.1:{AmqpsPort}")
                .AppendLine(CultureInfo.InvariantCulture, $"ssl_options.cacertfile = {tls.CaCertificate}")
                .AppendLine(CultureInfo.InvariantCulture, $"ssl_options.certfile = {tls.Certificate}")
                .AppendLine(CultureInfo.InvariantCulture, $"ssl_options.keyfile = {tls.Key}")
                .AppendLine("ssl_options.verify = verify_none")
                .AppendLine("ssl_options.fail_if_no_peer_cert = false");
        }
        else if (!options.EnablePlainAmqp)
        {
            throw new InvalidOperationException("A node with neither plain AMQP nor TLS accepts no clients: set EnableTls or EnablePlainAmqp.");
        }

        foreach (var line in options.ExtraConfigLines)
        {
            conf.AppendLine(line);
        }

        await File.WriteAllTextAsync(Path.Combine(TempDirectory, "rabbitmq.conf"), conf.ToString(), ct).ConfigureAwait(false);
        await File.WriteAllTextAsync(
            Path.Combine(TempDirectory, "enabled_plugins"),
            options.EnableManagement ? "[rabbitmq_management].\n" : "[].\n",
            ct).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(TempDirectory, "rabbitmq-env.conf"), string.Empty, ct).ConfigureAwait(false);

        File.SetUnixFileMode(TempDirectory, (UnixFileMode)0b111_101_101);
        if (Os.IsRoot)
        {
            if (!Os.UserExists(ServiceUser))
            {
                throw new InvalidOperationException($"Running as root but OS user '{ServiceUser}' does not exist; install the Debian package rabbitmq-server (scripts/test.sh does).");
            }

            await Os.ChownAsync(TempDirectory, ServiceUser, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A CA made for this node alone and a server certificate it issued for <c>localhost</c> and <c>127.0.0.1</c>, as PEM
    /// files under <c>&lt;temp&gt;/tls</c>. The directory is chowned with the rest of the temp directory, so the node can
    /// read the key when it runs as <c>rabbitmq</c>.
    /// </summary>
    private async Task<(string CaCertificate, string Certificate, string Key)> CreateTlsFilesAsync(CancellationToken ct)
    {
        var dir = Path.Combine(TempDirectory, "tls");
        Directory.CreateDirectory(dir);
        string F(string name) => Path.Combine(dir, name);
        var timeout = TimeSpan.FromSeconds(60);
        await ProcessRunner.RunAsync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2",
            "-subj", $"/CN=IntegrationHub test CA {NodeName}", "-keyout", F("ca.key"), "-out", F("ca.pem"),
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
            workingDirectory: dir, timeout: timeout, ct: ct).ConfigureAwait(false);
        await ProcessRunner.RunAsync("openssl", ["req", "-newkey", "rsa:2048", "-nodes", "-sha256", "-subj", "/CN=localhost",
            "-keyout", F("server.key"), "-out", F("server.csr")], workingDirectory: dir, timeout: timeout, ct: ct).ConfigureAwait(false);
        await File.WriteAllTextAsync(F("server.ext"),
            "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n",
            ct).ConfigureAwait(false);
        await ProcessRunner.RunAsync("openssl", ["x509", "-req", "-sha256", "-days", "2", "-in", F("server.csr"), "-CA", F("ca.pem"),
            "-CAkey", F("ca.key"), "-CAcreateserial", "-extfile", F("server.ext"), "-out", F("server.pem")],
            workingDirectory: dir, timeout: timeout, ct: ct).ConfigureAwait(false);
        File.Delete(F("ca.key")); // nothing else is ever issued by this CA
        return (F("ca.pem"), F("server.pem"), F("server.key"));
    }

    private Dictionary<string, string?> CliEnvironment() => new()
    {
        ["HOME"] = Path.Combine(TempDirectory, "home"),
        ["RABBITMQ_NODENAME"] = NodeName,
        ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(TempDirectory, "rabbitmq-env.conf"),
        ["RABBITMQ_CTL_DIST_PORT_MIN"] = ctlDistPortMin.ToString(CultureInfo.InvariantCulture),
        ["RABBITMQ_CTL_DIST_PORT_MAX"] = (ctlDistPortMin + 9).ToString(CultureInfo.InvariantCulture),
        ["RABBITMQ_ERLANG_COOKIE"] = null,
        ["RABBITMQ_DIST_PORT"] = null,
        ["ERL_CRASH_DUMP"] = Path.Combine(TempDirectory, "cli_erl_crash.dump"),
        ["LANG"] = "C.UTF-8",
        ["LC_ALL"] = "C.UTF-8",
    };

    private Dictionary<string, string?> ServerEnvironment()
    {
        var env = CliEnvironment();
        env["RABBITMQ_DIST_PORT"] = DistributionPort.ToString(CultureInfo.InvariantCulture);
        env["RABBITMQ_CONFIG_FILE"] = Path.Combine(TempDirectory, "rabbitmq.conf");
        env["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(TempDirectory, "advanced.config");
        env["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(TempDirectory, "enabled_plugins");
        env["RABBITMQ_MNESIA_BASE"] = Path.Combine(TempDirectory, "mnesia");
        env["RABBITMQ_LOG_BASE"] = Path.Combine(TempDirectory, "log");
        env["RABBITMQ_PID_FILE"] = PidFile;
        env["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}";
        env["ERL_CRASH_DUMP"] = Path.Combine(TempDirectory, "erl_crash.dump");
        return env;
    }

    private async Task StartProcessAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (IsRunning)
        {
            throw new InvalidOperationException($"{this} is already running.");
        }

        InstallExitHook();
        File.Delete(PidFile);
        var serverScript = Path.Combine(binDir, "rabbitmq-server");

        // sh redirects the node's console to a file and execs, so `server` is runuser (root) or the server script.
        var args = new List<string> { "-c", "exec \"$@\" >>\"$IHTEST_CONSOLE\" 2>&1", "sh" };
        if (Os.IsRoot)
        {
            args.AddRange(["runuser", "-u", ServiceUser, "-m", "--"]);
        }

        args.Add(serverScript);
        var env = ServerEnvironment();
        env["IHTEST_CONSOLE"] = ConsoleLogFile;
        var psi = ProcessRunner.CreateStartInfo("/bin/sh", args, env, TempDirectory);
        psi.RedirectStandardInput = true;
        server?.Dispose();
        server = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {serverScript}.");
        server.StandardInput.Close();
        Live[this] = 0;

        var sw = Stopwatch.StartNew();
        var timeout = options.StartTimeout;
        try
        {
            var pidSeen = await Os.WaitUntilAsync(() => !IsRunning || File.Exists(PidFile), timeout, ct).ConfigureAwait(false);
            ThrowIfExited("before writing its pid file");
            if (!pidSeen)
            {
                throw StartFailure($"did not write its pid file {PidFile} within {timeout.TotalSeconds:0}s");
            }

            ProcessResult? last = null;
            while (true)
            {
                var remaining = timeout - sw.Elapsed;
                if (remaining <= TimeSpan.Zero)
                {
                    throw StartFailure($"did not finish booting within {timeout.TotalSeconds:0}s; last rabbitmqctl await_startup said:\n{last?.CombinedOutput}");
                }

                var secs = Math.Max(1, (int)remaining.TotalSeconds);
                last = await ToolAsync("rabbitmqctl", ["await_startup", "--timeout", secs.ToString(CultureInfo.InvariantCulture)], ct, remaining + TimeSpan.FromSeconds(15), throwOnError: false).ConfigureAwait(false);
                if (last.ExitCode == 0)
                {
                    break;
                }

                ThrowIfExited("while booting");

                // Not registered with epmd yet: poll again shortly.
                await Task.Delay(250, ct).ConfigureAwait(false);
            }

            var port = options.EnablePlainAmqp ? AmqpPort : AmqpsPort;
            if (!await Os.WaitUntilAsync(() => FreePort.IsListening(port) && (!options.EnableTls || FreePort.IsListening(AmqpsPort)), TimeSpan.FromSeconds(30), ct).ConfigureAwait(false))
            {
                throw StartFailure($"booted but does not accept AMQP connections on 127.0.0.1:{port}{(options.EnableTls ? $" and {AmqpsPort} (TLS)" : "")}");
            }
        }
        catch
        {
            await KillAsync().ConfigureAwait(false);
            throw;
        }
    }

    private void ThrowIfExited(string when)
    {
        if (!IsRunning)
        {
            throw StartFailure($"exited {when} with code {server?.ExitCode}");
        }
    }

    private InvalidOperationException StartFailure(string what) => new(
        $"{this} {what}.\n--- console ({ConsoleLogFile}) ---\n{ProcessRunner.TailFile(ConsoleLogFile, 30)}\n--- log ({LogFile}) ---\n{ProcessRunner.TailFile(LogFile, 40)}");

    private Task<ProcessResult> CtlAsync(IEnumerable<string> args, CancellationToken ct, TimeSpan? timeout = null) =>
        ToolAsync("rabbitmqctl", args, ct, timeout);

    private async Task<ProcessResult> ToolAsync(string tool, IEnumerable<string> args, CancellationToken ct, TimeSpan? timeout = null, bool throwOnError = true)
    {
        var all = new List<string> { "-n", NodeName };
        all.AddRange(args);
        try
        {
            return await ProcessRunner.RunAsync(Path.Combine(binDir, tool), all, CliEnvironment(), TempDirectory, timeout, throwOnError, ct).ConfigureAwait(false);
        }
        catch (ProcessFailedException e)
        {
            throw new ProcessFailedException($"{e.Message}\n(node {NodeName}; log {LogFile})", e.Result, e);
        }
    }

    private HashSet<int> BeamPids()
    {
        var pids = new HashSet<int>();
        try
        {
            if (File.Exists(PidFile) && int.TryParse(File.ReadAllText(PidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Os.IsAlive(pid))
            {
                pids.Add(pid);
            }
        }
        catch (IOException)
        {
            // Fall back to the process tree below.
        }

        // Also walk our own process tree (sh -> runuser -> beam.smp) in case the pid file is not written yet.
        if (server is { HasExited: false } p)
        {
            var queue = new Queue<int>([p.Id]);
            while (queue.Count > 0)
            {
                var current = queue.Dequeue();
                foreach (var child in Os.ChildrenOf(current))
                {
                    pids.Add(child);
                    queue.Enqueue(child);
                }
            }

            pids.Add(p.Id);
        }

        return pids;
    }

    private static void InstallExitHook()
    {
        if (Interlocked.Exchange(ref exitHookInstalled, 1) == 0)
        {
            // Never leave a node behind when the test host exits without disposing.
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                foreach (var node in Live.Keys)
                {
                    foreach (var pid in node.BeamPids())
                    {
                        Os.Kill(pid);
                    }
                }
            };
        }
    }

    private static string FindBinDirectory()
    {
        string[] candidates = ["/usr/lib/rabbitmq/bin", "/usr/local/lib/rabbitmq/bin"];
        foreach (var dir in candidates)
        {
            if (File.Exists(Path.Combine(dir, "rabbitmq-server")))
            {
                return dir;
            }
        }

        var lib = "/usr/lib/rabbitmq/lib";
        if (Directory.Exists(lib))
        {
            var sbin = Directory.GetDirectories(lib, "rabbitmq_server-*").Order().Select(d => Path.Combine(d, "sbin")).LastOrDefault(Directory.Exists);
            if (sbin is not null)
            {
                return sbin;
            }
        }

        throw new InvalidOperationException("RabbitMQ is not installed (no /usr/lib/rabbitmq/bin/rabbitmq-server). Install the Debian package rabbitmq-server, or run scripts/test.sh which installs it.");
    }

    private static string RandomSuffix() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    private static string RandomCookie() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    internal static void TryDeleteDirectory(string path)
    {
        for (var i = 0; i < 3; i++)
        {
            try
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }

                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A dying process may still write a last log line; try again.
            }
        }
    }
}
