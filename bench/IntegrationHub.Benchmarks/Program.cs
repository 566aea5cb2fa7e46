using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using System.Text;
using IntegrationHub.FaultTests.Harness;
using IntegrationHub.Routing.Messaging;
using IntegrationHub.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

[assembly: SupportedOSPlatform("linux")]

namespace IntegrationHub.Benchmarks;

/// <summary>
/// End-to-end benchmark: a raw RabbitMQ.Client baseline, then the hub (a child process) on a private RabbitMQ node
/// (quorum queues, confirms, manual acks) and PostgreSQL (synchronous commit). Prints a table; figures are never asserted.
/// <code>dotnet run -c Release --project bench/IntegrationHub.Benchmarks -- --count 50000 [--steady-rate 1000[,400...] --steady-seconds 60]
///   [--variant name:Hub__PrefetchCount=500,Hub__ConcurrentMessageLimit=64]... [--steady-every-variant] [--skip-raw] [--wal-stats] [--embedded-count N] [--write-table FILE]
///   [--warm-up N] [--pg-statements] [--postgres "shared_buffers = 512MB;max_wal_size = 8GB"]</code>
/// </summary>
internal static partial class Program
{
    private static readonly string[] StatementsSettings = ["shared_preload_libraries = 'pg_stat_statements'", "pg_stat_statements.track = all"];
    // pg_waldump reads the run's WAL after it: keep the files that long, whatever checkpoints fall in the run.
    private static readonly string[] WalStatsSettings = ["wal_keep_size = 8GB"];

    private static async Task<int> Main(string[] args)
    {
        var o = Options.Parse(args);
        Console.WriteLine($"IntegrationHub end-to-end benchmark {DateTime.UtcNow:yyyy-MM-dd HH:mm}Z; {Environment.ProcessorCount} cores; {RuntimeInfo()}; load average {LoadAverage()}");
        Console.WriteLine($"count={o.Count} steady={string.Join(",", o.SteadyRates)}/s x {o.SteadySeconds}s variants={string.Join(" | ", o.Variants.Select(v => v.Name))}");
        var concerns = Concerns("b", o.Count);
        Console.WriteLine($"payloads: {concerns.Count} concerns, {concerns.Average(c => c.Body.Length):0} B average ({concerns.Min(c => c.Body.Length)}-{concerns.Max(c => c.Body.Length)} B)");

        await using var rabbit = await RabbitMqNode.StartAsync(new RabbitMqNodeOptions
        {
            DefinitionsFile = Path.Combine(Repository.Root, "deploy", "rabbitmq", "definitions.json"), EnableManagement = false,
        });
        // fsync on, synchronous commit, lz4 for large values as docker-compose.yml runs it; --pg-statements loads
        // pg_stat_statements to say where PostgreSQL's time goes.
        await using var postgres = await PostgresNode.StartAsync(new PostgresNodeOptions
        {
            FastUnsafe = false,
            ExtraConfigLines = ["default_toast_compression = lz4", .. o.PostgresSettings, .. o.PgStatements ? StatementsSettings : [],
                .. o.WalStats ? WalStatsSettings : []],
        });
        var rows = new List<Row>();

        if (!o.SkipRaw)
        {
            rows.Add(await RawBaselineAsync(rabbit, concerns, 0));
            Print(rows[^1]);
            foreach (var rate in o.SteadySeconds > 0 ? o.SteadyRates : [])
            {
                // The same offered load as the hub's steady run, so the two latencies compare like with like.
                var steady = Concerns("r", (int)(rate * o.SteadySeconds));
                rows.Add(await RawBaselineAsync(rabbit, steady, rate));
                Print(rows[^1]);
            }
        }

        foreach (var fanOut in o.RelayFanOuts)
        {
            // Warmed up as the hub is (JIT, pools), with the same number of concerns, not measured.
            if (o.WarmUp > 0)
            {
                var warm = Concerns("mw", o.WarmUp);
                var w = await RelayBaselineAsync(rabbit, warm, fanOut, 0);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warm-up done ({w.Concerns} in {w.Seconds:0.0}s)"));
            }
            rows.Add(await RelayBaselineAsync(rabbit, concerns, fanOut, 0));
            Print(rows[^1]);
            foreach (var rate in o.SteadySeconds > 0 ? o.SteadyRates : [])
            {
                var steady = Concerns("m", (int)(rate * o.SteadySeconds));
                rows.Add(await RelayBaselineAsync(rabbit, steady, fanOut, rate));
                Print(rows[^1]);
            }
        }

        foreach (var variant in o.SkipHub ? [] : o.Variants)
        {
            var db = await postgres.CreateDatabaseAsync($"bench_{rows.Count}_{Guid.NewGuid():N}"[..30]);
            if (o.PgStatements) await ExecuteAsync(db, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset();");
            var row = await HubAsync(rabbit, postgres, db, variant, concerns, o);
            rows.AddRange(row);
            if (o.PgStatements) await PrintStatementsAsync(db);
            if (o.WalStats) await PrintTableSizesAsync(db);
            foreach (var r in row) Print(r);
        }

        if (o.EmbeddedCount > 0)
        {
            rows.Add(await EmbeddedAsync(o));
            Print(rows[^1]);
        }

        var table = Table(rows, o);
        Console.WriteLine();
        Console.WriteLine(table);
        if (o.WriteDocs is { } docs) await File.WriteAllTextAsync(docs, table);
        return 0;
    }

    private sealed record Row(string Name, int Concerns, double Seconds, double PerSecond, double P50, double P95, double P99,
        double? HubPeakRssMb, double? HubCpu, double? BrokerCpu, string Note, double? PostgresCpu = null, double? MachineCpu = null);

    private static void Print(Row r) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{r.Name}: {r.Concerns} in {r.Seconds:0.0}s = {r.PerSecond:0} /s; latency p50 {r.P50:0.0} ms p95 {r.P95:0.0} ms p99 {r.P99:0.0} ms; hub RSS peak {r.HubPeakRssMb:0} MB; CPU hub {r.HubCpu:0}% broker {r.BrokerCpu:0}% PostgreSQL {r.PostgresCpu:0}% machine {r.MachineCpu:0}% of {Environment.ProcessorCount * 100}% {r.Note}"));

    /// <summary>
    /// Messages published together: flat out (rate 0), 100 in flight; at a steady rate, a small batch every 5 ms, so the
    /// load is even rather than bursts of 100 that would queue behind each other and measure the burst, not the hub. Each
    /// steady batch starts when due, whether or not the ones before are confirmed (open loop, <see cref="Pacing"/>).
    /// </summary>
    private static int BatchFor(double rate) => rate > 0 ? Math.Max(1, (int)(rate / 200)) : 100;

    /// <param name="rate">Concerns per second offered, paced like the hub's steady run (a small batch every 5 ms); 0 for flat out.</param>
    private static async Task<Row> RawBaselineAsync(RabbitMqNode rabbit, List<OutgoingConcern> concerns, double rate)
    {
        var batch = BatchFor(rate);
        Console.WriteLine($"raw baseline: RabbitMQ.Client publisher (confirms, {(rate > 0 ? $"open loop, {batch} every 5 ms, {rate:0}/s" : $"batches of {batch} in flight")}) -> quorum queue -> consumer (manual acks, prefetch 500)");
        var queue = rate > 0 ? "bench.raw-steady" : "bench.raw";
        var factory = new ConnectionFactory { Uri = rabbit.AmqpUri };
        await using var connection = await factory.CreateConnectionAsync("bench-raw");
        await using (var setup = await connection.CreateChannelAsync())
            await setup.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });

        var published = new long[concerns.Count];
        var latencies = new double[concerns.Count];
        var received = 0;
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var consumerConnection = await factory.CreateConnectionAsync("bench-raw-consumer");
        await using var consumerChannel = await consumerConnection.CreateChannelAsync();
        await consumerChannel.BasicQosAsync(0, 500, false);
        var consumer = new AsyncEventingBasicConsumer(consumerChannel);
        consumer.ReceivedAsync += async (_, e) =>
        {
            var index = int.Parse(e.BasicProperties.MessageId!, CultureInfo.InvariantCulture);
            latencies[index] = Stopwatch.GetElapsedTime(published[index]).TotalMilliseconds;
            await consumerChannel.BasicAckAsync(e.DeliveryTag, false);
            if (Interlocked.Increment(ref received) == concerns.Count) all.TrySetResult();
        };
        await consumerChannel.BasicConsumeAsync(queue, autoAck: false, consumer);

        var broker = CpuClock.ForBroker(rabbit);
        var sw = Stopwatch.StartNew();
        await PublishPacedAsync(connection, queue, concerns, rate, published, (c, i) => new BasicProperties
        {
            ContentType = "application/json", Type = c.Type, MessageId = i.ToString(CultureInfo.InvariantCulture), DeliveryMode = DeliveryModes.Persistent,
        });
        await all.Task.WaitAsync(TimeSpan.FromMinutes(10));
        var seconds = sw.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        return new Row(rate > 0 ? $"raw RabbitMQ.Client steady {rate:0}/s x {concerns.Count / rate:0}s" : "raw RabbitMQ.Client", concerns.Count, seconds,
            concerns.Count / seconds, Pct(latencies, 50), Pct(latencies, 95), Pct(latencies, 99), null, null, broker?.PercentSince(), rate > 0 ? $"offered {rate:0}/s" : "");
    }

    private static async Task<List<Row>> HubAsync(RabbitMqNode rabbit, PostgresNode postgres, string db, Variant variant, List<OutgoingConcern> concerns, Options o)
    {
        var rows = new List<Row>();
        var dir = Path.Combine(Path.GetTempPath(), $"ih-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var settings = HubProcess.Settings(rabbit.AmqpPort, db, Path.Combine(dir, "data"));
        foreach (var (k, v) in variant.Settings) settings[k] = v;
        await using var hub = new HubProcess(settings, Path.Combine(dir, "hub.log"));
        Console.WriteLine($"hub [{variant.Name}]: starting {HubProcess.HostDll()} ({string.Join(", ", variant.Settings.Select(kv => $"{kv.Key}={kv.Value}"))})");
        await hub.StartAsync();
        await using var recipients = new RecipientCounter(() => rabbit.AmqpPort, RecipientQueues.All, _ => { });
        recipients.Start();

        // Warm-up (JIT, pools), not measured: 20,000 concerns by default. After 5,000, dotnet-counters still showed
        // 2.5-3.5 s of JIT per 5 s at the start of the measured run (tiered compilation recompiling hot methods);
        // after 20,000, 0.05-0.08 s. The measured runs then show the hub, not its start-up.
        var warm = Concerns("warm", o.WarmUp);
        await MeasureAsync(hub, rabbit, postgres, recipients, warm, 0, "warm-up", o.WalStats);
        // The database was created empty moments ago. PostgreSQL's autovacuum first analyses a new database's tables
        // about a minute in; until then the hub's prepared lookups keep plans made for tables of a few hundred rows
        // (a sequential scan of every pattern mention, each group). A hub that has run for a while has current
        // statistics; measure that hub, not its first minute.
        await ExecuteAsync(db, "ANALYZE");
        rows.Add(await MeasureAsync(hub, rabbit, postgres, recipients, concerns, 0, $"hub [{variant.Name}] throughput", o.WalStats));
        foreach (var rate in o.SteadySeconds > 0 && (o.SteadyEveryVariant || variant == o.Variants[0]) ? o.SteadyRates : [])
        {
            var steady = Concerns("s", (int)(rate * o.SteadySeconds));
            rows.Add(await MeasureAsync(hub, rabbit, postgres, recipients, steady, rate, $"hub [{variant.Name}] steady {rate:0}/s x {o.SteadySeconds}s", o.WalStats));
        }
        if (hub.Process is { } p && Procfs.PeakRssMb(p.Id) is { } peak) Console.WriteLine($"hub peak RSS (VmHWM) {peak:0} MB");
        // The hub writes its log into the folder until it has stopped: stop it before the folder goes.
        await hub.DisposeAsync();
        try { Directory.Delete(dir, true); } catch (IOException) { }
        return rows;
    }

    private static async Task<Row> MeasureAsync(HubProcess hub, RabbitMqNode rabbit, PostgresNode postgres, RecipientCounter recipients, List<OutgoingConcern> concerns, double rate, string name, bool walStats)
    {
        var publisher = new AgencyPublisher(() => rabbit.AmqpPort, Console.WriteLine);
        var byTracking = concerns.ToDictionary(c => c.TrackingId.ToString(), c => c.MessageId);
        var pid = hub.Pid ?? throw new InvalidOperationException("hub not running");
        var hubCpu = CpuClock.For(pid);
        var brokerCpu = CpuClock.ForBroker(rabbit);
        var postgresCpu = CpuClock.ForPostgres(postgres);
        var machineCpu = new MachineCpuClock();
        var walBefore = await WalAsync(postgres);
        var deliveriesBefore = recipients.Raw;
        // A concern's latency ends at the first of its deliveries to reach a recipient queue.
        var firstArrival = new ConcurrentDictionary<string, long>();
        recipients.FirstArrival = (tracking, at) =>
        {
            if (tracking is not null && byTracking.ContainsKey(tracking)) firstArrival.AddOrUpdate(tracking, at, (_, prev) => Math.Min(prev, at));
        };
        var sw = Stopwatch.StartNew();
        // The wall-clock start, so the "+N s" of the slowest concerns below can be laid beside other logs and samplers.
        Console.WriteLine($"{name}: {concerns.Count} concerns, started {DateTime.UtcNow:HH:mm:ss.fff}Z");
        var publishing = PublishTimedAsync(publisher, concerns, rate);
        var deadline = DateTime.UtcNow.AddMinutes(20);
        while (firstArrival.Count < concerns.Count || !publishing.IsCompleted)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{name}: {firstArrival.Count}/{concerns.Count} arrived.\n{hub.Tail()}");
            await Task.Delay(100);
        }
        recipients.FirstArrival = null;
        await publishing;
        // What the MassTransit relay's --relay-fanout stands for. Counted when the last concern's first delivery is in, so
        // a few of the last concerns' other deliveries may still be on their way.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {(recipients.Raw - deliveriesBefore) / (double)concerns.Count:0.00} deliveries per concern reached the recipient queues"));
        var end = firstArrival.Values.Max();
        var start = publisher.PublishedAtTicks.Values.Min();
        var seconds = Stopwatch.GetElapsedTime(start, end).TotalSeconds;
        var hubPercent = hubCpu.PercentSince();
        var brokerPercent = brokerCpu?.PercentSince();
        var postgresPercent = postgresCpu?.PercentSince();
        var machinePercent = machineCpu.PercentSince();
        var lat = firstArrival.Select(kv => Stopwatch.GetElapsedTime(publisher.PublishedAtTicks[byTracking[kv.Key]], kv.Value).TotalMilliseconds).Order().ToArray();
        if (rate > 0)
        {
            // When the slow ones were sent: clustered at intervals points at something periodic, scattered at pauses.
            var slowest = firstArrival.Select(kv => (Sent: Stopwatch.GetElapsedTime(start, publisher.PublishedAtTicks[byTracking[kv.Key]]).TotalSeconds,
                    Ms: Stopwatch.GetElapsedTime(publisher.PublishedAtTicks[byTracking[kv.Key]], kv.Value).TotalMilliseconds))
                .OrderByDescending(x => x.Ms).Take(Math.Max(1, lat.Length / 100)).OrderBy(x => x.Sent).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: the slowest 1% by when they were sent: {string.Join(", ", slowest.GroupBy(x => Math.Floor(x.Sent * 10) / 10).Select(g => $"+{g.Key:0.0}s ×{g.Count()} ≤{g.Max(x => x.Ms):0}ms"))}"));
        }
        await publisher.DropAllAsync();
        // A commit waits until all WAL written before it is on disk, so the bytes each concern adds bear on every latency.
        var wal = await WalAsync(postgres);
        var walBytes = wal.Bytes - walBefore.Bytes;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: PostgreSQL wrote {walBytes / 1024.0 / concerns.Count:0.0} KB of WAL per concern, {walBytes / 1048576.0 / seconds:0.0} MB/s, {(wal.FullPages - walBefore.FullPages) / (double)concerns.Count:0.00} full-page images per concern"));
        var row = new Row(name, concerns.Count, seconds, concerns.Count / seconds, Pct(lat, 50), Pct(lat, 95), Pct(lat, 99),
            Procfs.PeakRssMb(pid), hubPercent, brokerPercent, rate > 0 ? $"offered {rate:0}/s" : "", postgresPercent, machinePercent);
        if (name == "warm-up") Console.WriteLine($"warm-up done ({concerns.Count} in {sw.Elapsed.TotalSeconds:0.0}s)");
        if (walStats) await PrintWalStatsAsync(postgres, walBefore.Lsn, wal.Lsn, concerns.Count);
        return row;
    }

    /// <summary>Publishes as the agencies do (open-loop at a steady rate) and says how long it took against the schedule.</summary>
    private static async Task PublishTimedAsync(AgencyPublisher publisher, List<OutgoingConcern> concerns, double rate)
    {
        var sw = Stopwatch.StartNew();
        await publisher.PublishAllAsync(concerns, rate, BatchFor(rate), CancellationToken.None, openLoop: true);
        if (rate > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  published {concerns.Count} in {sw.Elapsed.TotalSeconds:0.0}s (scheduled over {concerns.Count / rate:0.0}s), the last confirmed included"));
        }
    }

    /// <summary>
    /// Embedded mode (in-memory bus + SQLite, the bare-machine default): concerns are POSTed over HTTP (the only way in
    /// on the in-memory bus) by 32 concurrent clients; measured until every one is decided in the SQLite file. Latency is
    /// the hub's own ReceivedAt -> DecidedAt (deliveries on the in-memory bus cannot be observed from outside).
    /// </summary>
    private static async Task<Row> EmbeddedAsync(Options o)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"ih-bench-embedded-{Guid.NewGuid():N}");
        var data = Path.Combine(dir, "data");
        Directory.CreateDirectory(data);
        await using var hub = new HubProcess(new Dictionary<string, string?> { ["Hub__Transport"] = "InMemory", ["Hub__DataDirectory"] = data }, Path.Combine(dir, "hub.log"));
        Console.WriteLine($"embedded: starting the hub on the in-memory bus + SQLite ({data})");
        await hub.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{hub.Port}"), Timeout = TimeSpan.FromSeconds(60) };
        // Warm-up: 5,000 concerns, unmeasured (at a few hundred a second, the 20,000 of the RabbitMQ runs would take a minute).
        const int warmUp = 5_000;
        var concerns = Concerns("e", o.EmbeddedCount + warmUp);
        var pid = hub.Pid!.Value;
        async Task PostAllAsync(IEnumerable<OutgoingConcern> items)
        {
            var queue = new System.Collections.Concurrent.ConcurrentQueue<OutgoingConcern>(items);
            await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ =>
            {
                while (queue.TryDequeue(out var c))
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/concerns") { Content = new ByteArrayContent(c.Body) };
                    request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                    request.Headers.Add("X-Api-Key", $"{c.Agency.ToString().ToLowerInvariant()}-fault-key-0123456789abcdef");
                    request.Headers.Add("Idempotency-Key", c.MessageId);
                    using var response = await http.SendAsync(request);
                    if ((int)response.StatusCode != 202) throw new InvalidOperationException($"POST answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }));
        }
        var file = Path.Combine(data, "integrationhub.db");
        async Task<long> DecidedAsync()
        {
            await using var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Mode=ReadOnly");
            await conn.OpenAsync();
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = "SELECT count(*) FROM decisions";
            return (long)(await cmd.ExecuteScalarAsync())!;
        }
        await PostAllAsync(concerns.Take(warmUp));
        while (await DecidedAsync() < warmUp) await Task.Delay(100);
        var cpu = CpuClock.For(pid);
        var sw = Stopwatch.StartNew();
        await PostAllAsync(concerns.Skip(warmUp));
        var target = concerns.Count;
        var deadline = DateTime.UtcNow.AddMinutes(20);
        while (await DecidedAsync() < target)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"embedded: {await DecidedAsync()}/{target} decided\n{hub.Tail()}");
            await Task.Delay(50);
        }
        var seconds = sw.Elapsed.TotalSeconds;
        var percent = cpu.PercentSince();
        var latencies = new List<double>();
        await using (var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Mode=ReadOnly"))
        {
            await conn.OpenAsync();
            await using var cmd = conn.CreateCommand();
            // The warm-up's concerns were all received before the first measured one: skip them.
            cmd.CommandText = $"SELECT ReceivedAt, DecidedAt FROM messages WHERE DecidedAt IS NOT NULL ORDER BY ReceivedAt LIMIT -1 OFFSET {warmUp}";
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                // EF Core's DateTimeOffsetToBinaryConverter: (ticks / 1000) << 11 | offset minutes.
                latencies.Add(((reader.GetInt64(1) >> 11) - (reader.GetInt64(0) >> 11)) * 1000 / (double)TimeSpan.TicksPerMillisecond);
            }
        }
        var sorted = latencies.Order().ToArray();
        var row = new Row("embedded (in-memory + SQLite, HTTP in)", o.EmbeddedCount, seconds, o.EmbeddedCount / seconds, Pct(sorted, 50), Pct(sorted, 95), Pct(sorted, 99),
            Procfs.PeakRssMb(pid), percent, null, "decided, not delivered; latency = received->decided");
        await hub.DisposeAsync();
        try { Directory.Delete(dir, true); } catch (IOException) { }
        return row;
    }

    /// <summary>
    /// The cluster's WAL written so far: bytes from the insert position, which is exact at once; full-page images from
    /// pg_stat_wal, which backends report at most once a second, so that count lags by about a second's worth.
    /// </summary>
    private static async Task<(long Bytes, long FullPages, string Lsn)> WalAsync(PostgresNode postgres)
    {
        await using var connection = new Npgsql.NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint, (SELECT wal_fpi FROM pg_stat_wal), pg_current_wal_lsn()::text", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2));
    }

    /// <summary>A row of <c>pg_waldump --stats=record</c>: type, count, record bytes, full-page image bytes.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^(\S+/\S+)\s+(\d+)\s+\(\s*[\d.]+\)\s+(\d+)\s+\(\s*[\d.]+\)\s+(\d+)\s+\(")]
    private static partial System.Text.RegularExpressions.Regex WalStatsRow();

    /// <summary>
    /// The run's WAL by record type, from pg_waldump over the files themselves: what each kind of write costs, with
    /// full-page images (which depend on when checkpoints fall) apart from the records. The segment is switched first so
    /// every record of the run is in a file; the next run's start is read after the switch.
    /// </summary>
    private static async Task PrintWalStatsAsync(PostgresNode postgres, string from, string to, int concerns)
    {
        await ExecuteAsync(postgres.ConnectionString, "SELECT pg_switch_wal()");
        var psi = new ProcessStartInfo(Path.Combine(postgres.BinDirectory, "pg_waldump"))
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in new[] { "--stats=record", "-p", Path.Combine(postgres.DataDirectory, "pg_wal"), "-s", from, "-e", to }) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            Console.WriteLine($"  pg_waldump failed ({process.ExitCode}): {(await error).Trim()}");
            return;
        }
        // "Type  N (%)  Record size (%)  FPI size (%)  Combined size (%)", the percentages padded inside their brackets.
        var rows = (await output).Split('\n').Select(l => WalStatsRow().Match(l)).Where(m => m.Success)
            .Select(m => (Type: m.Groups[1].Value, Count: long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
                Record: long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture), Fpi: long.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture)))
            .ToList();
        long records = rows.Sum(r => r.Record), images = rows.Sum(r => r.Fpi);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  WAL per concern: {records / 1024.0 / concerns:0.00} KB of records, {images / 1024.0 / concerns:0.00} KB of full-page images. By record type (bytes per concern, records per concern):"));
        foreach (var r in rows.OrderByDescending(r => r.Record + r.Fpi).Take(12))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    {r.Type,-28} {r.Record / (double)concerns,8:0} + {r.Fpi / (double)concerns,6:0} images  {r.Count / (double)concerns,6:0.00}"));
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The largest tables after a variant's runs (warm-up included), indexes and TOAST counted: what a concern costs on disk.</summary>
    private static async Task PrintTableSizesAsync(string connectionString)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var analyze = new Npgsql.NpgsqlCommand("ANALYZE", connection)) await analyze.ExecuteNonQueryAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT relname, pg_table_size(relid), pg_indexes_size(relid), n_live_tup FROM pg_stat_user_tables " +
            "ORDER BY pg_total_relation_size(relid) DESC LIMIT 6", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Console.WriteLine("  table                  heap+TOAST MB  indexes MB       rows  bytes per row");
        while (await reader.ReadAsync())
        {
            long table = reader.GetInt64(1), indexes = reader.GetInt64(2), rows = reader.GetInt64(3);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {reader.GetString(0),-22} {table / 1048576.0,13:0.0} {indexes / 1048576.0,11:0.0} {rows,10} {(rows > 0 ? (table + indexes) / (double)rows : 0),14:0}"));
        }
    }

    /// <summary>The statements that took PostgreSQL's time (warm-up included), most first.</summary>
    private static async Task PrintStatementsAsync(string connectionString)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT total_exec_time, calls, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 160) " +
            "FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 25", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Console.WriteLine("PostgreSQL statements by total execution time (ms, calls, rows, statement):");
        while (await reader.ReadAsync())
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {reader.GetDouble(0),10:0} {reader.GetInt64(1),9} {reader.GetInt64(2),9}  {reader.GetString(3)}"));
    }

    /// <summary><paramref name="count"/> concerns from the catalogue, each with its own run tag (<paramref name="tag"/> and six hex digits).</summary>
    private static List<OutgoingConcern> Concerns(string tag, int count) =>
        Enumerable.Range(0, count).Select(i => ConcernCatalogue.Make(tag + Guid.NewGuid().ToString("N")[..6], i)).ToList();

    private static double Pct(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string Table(List<Row> rows, Options o)
    {
        static bool Steady(Row r) => r.Name.Contains("steady", StringComparison.Ordinal);
        var raw = rows.FirstOrDefault(r => r.Name.StartsWith("raw", StringComparison.Ordinal));
        // The hub's broker work without the hub (decision 0018): hub / relay is the hub's own efficiency; hub / raw is
        // bounded by relay / raw on the same machine.
        var relay = rows.FirstOrDefault(r => r.Name.StartsWith("MassTransit relay", StringComparison.Ordinal) && !Steady(r));
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"| run | concerns | s | concerns/s | × raw | × relay | p50 ms | p95 ms | p99 ms | hub peak RSS MB | hub CPU % | broker CPU % | PostgreSQL CPU % | machine CPU % |");
        sb.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in rows)
        {
            var ratio = raw is not null && r != raw && !Steady(r) ? (r.PerSecond / raw.PerSecond).ToString("0.00", CultureInfo.InvariantCulture) : "";
            var toRelay = relay is not null && r.Name.StartsWith("hub", StringComparison.Ordinal) && !Steady(r)
                ? (r.PerSecond / relay.PerSecond).ToString("0.00", CultureInfo.InvariantCulture) : "";
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Name} | {r.Concerns:N0} | {r.Seconds:0.0} | {r.PerSecond:N0} | {ratio} | {toRelay} | {r.P50:0.0} | {r.P95:0.0} | {r.P99:0.0} | {(r.HubPeakRssMb is { } m ? m.ToString("0", CultureInfo.InvariantCulture) : "")} | {(r.HubCpu is { } h ? h.ToString("0", CultureInfo.InvariantCulture) : "")} | {(r.BrokerCpu is { } b ? b.ToString("0", CultureInfo.InvariantCulture) : "")} | {(r.PostgresCpu is { } g ? g.ToString("0", CultureInfo.InvariantCulture) : "")} | {(r.MachineCpu is { } c ? c.ToString("0", CultureInfo.InvariantCulture) : "")} |"));
        }
        _ = o;
        return sb.ToString();
    }

    private static string RuntimeInfo() => $".NET {Environment.Version}";

    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Trim(); } catch (IOException) { return "?"; }
    }
}

internal sealed record Variant(string Name, Dictionary<string, string?> Settings);

internal sealed class Options
{
    public int Count { get; private set; } = 50_000;
    /// <summary>Each is offered for <see cref="SteadySeconds"/>, to raw RabbitMQ.Client and to the hub: <c>--steady-rate 1000,400</c>.</summary>
    public List<double> SteadyRates { get; private set; } = [1_000];
    public int SteadySeconds { get; private set; } = 60;
    public int EmbeddedCount { get; private set; } = 10_000;
    /// <summary>Concerns sent through the hub, unmeasured, before its runs: <c>--warm-up N</c>.</summary>
    public int WarmUp { get; private set; } = 20_000;
    public bool SkipRaw { get; private set; }
    /// <summary>Only the baselines (and embedded mode unless <c>--embedded-count 0</c>): <c>--skip-hub</c>.</summary>
    public bool SkipHub { get; private set; }
    /// <summary>
    /// MassTransit relays measured after the raw baseline, one per fan-out (deliveries per concern; 0 consumes only):
    /// <c>--relay-fanout 0,2.7</c>, the default, 2.7 being about what the hub's decisions send per benchmark concern flat out
    /// (each hub run prints its own figure; it rises to 3 as the pattern index links more children).
    /// <c>--relay-fanout none</c> skips them.
    /// </summary>
    public List<double> RelayFanOuts { get; private set; } = [0, 2.7];
    /// <summary>Steady runs for every variant, not only the first: <c>--steady-every-variant</c>, to compare their latencies.</summary>
    public bool SteadyEveryVariant { get; private set; }
    public bool PgStatements { get; private set; }
    /// <summary>After each run, PostgreSQL's WAL by record type, full-page images apart (pg_waldump): <c>--wal-stats</c>.</summary>
    public bool WalStats { get; private set; }
    /// <summary>Extra postgresql.conf lines: <c>--postgres "shared_buffers = 256MB;max_wal_size = 4GB"</c>.</summary>
    public List<string> PostgresSettings { get; private set; } = [];
    public string? WriteDocs { get; private set; }
    public List<Variant> Variants { get; } = [];

    public static Options Parse(string[] args)
    {
        var o = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--count": o.Count = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--steady-rate": o.SteadyRates = [.. args[++i].Split(',').Select(r => double.Parse(r, CultureInfo.InvariantCulture))]; break;
                case "--steady-seconds": o.SteadySeconds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--embedded-count": o.EmbeddedCount = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--skip-raw": o.SkipRaw = true; break;
                case "--skip-hub": o.SkipHub = true; break;
                case "--relay-fanout":
                    var fanOuts = args[++i];
                    o.RelayFanOuts = fanOuts == "none" ? [] : [.. fanOuts.Split(',').Select(f => double.Parse(f, CultureInfo.InvariantCulture))];
                    if (o.RelayFanOuts.Any(f => f is < 0 or (> 0 and < 1) or > 16)) throw new ArgumentException("--relay-fanout: each fan-out is 0 or from 1 to 16");
                    break;
                case "--steady-every-variant": o.SteadyEveryVariant = true; break;
                case "--warm-up": o.WarmUp = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--pg-statements": o.PgStatements = true; break;
                case "--wal-stats": o.WalStats = true; break;
                case "--postgres": o.PostgresSettings = [.. args[++i].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]; break;
                case "--write-table": o.WriteDocs = args[++i]; break;
                case "--variant":
                    var spec = args[++i];
                    var colon = spec.IndexOf(':', StringComparison.Ordinal);
                    var name = colon < 0 ? spec : spec[..colon];
                    var settings = colon < 0 ? new Dictionary<string, string?>() : spec[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries)
                        .Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => (string?)kv[1]);
                    o.Variants.Add(new Variant(name, settings));
                    break;
                default: throw new ArgumentException($"unknown argument {args[i]}");
            }
        }
        if (o.Variants.Count == 0) o.Variants.Add(new Variant("defaults", []));
        return o;
    }
}

/// <summary>CPU time (user + system, from /proc) of a process or a process tree, as a percentage of one core over the wall time since creation.</summary>
internal sealed class CpuClock(Func<long> ticks)
{
    private readonly long _start = ticks();
    private readonly long _at = Stopwatch.GetTimestamp();

    public static CpuClock For(int pid) => new(() => Procfs.CpuTicks(pid));

    public static CpuClock? ForBroker(RabbitMqNode rabbit) => PidFrom(rabbit.PidFile) is { } pid ? For(pid) : null;

    /// <summary>
    /// A PostgreSQL cluster: the postmaster, its live children (the backends, the writers, autovacuum), and the children
    /// it has reaped (their time is added to its own cutime and cstime when they exit).
    /// </summary>
    public static CpuClock? ForPostgres(PostgresNode postgres) =>
        PidFrom(Path.Combine(postgres.DataDirectory, "postmaster.pid")) is { } postmaster ? new(() => TreeTicks(postmaster)) : null;

    public double PercentSince() => (ticks() - _start) / 100.0 / Stopwatch.GetElapsedTime(_at).TotalSeconds * 100;

    /// <summary>The pid on a pid file's first line, or null when the file cannot be read.</summary>
    private static int? PidFrom(string file)
    {
        try { return int.Parse(File.ReadLines(file).First().Trim(), CultureInfo.InvariantCulture); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException) { return null; }
    }

    private static long TreeTicks(int parent)
    {
        var total = Procfs.CpuTicks(parent, withReapedChildren: true);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == parent) continue;
            try
            {
                if (Procfs.ParentOf(pid) == parent) total += Procfs.CpuTicks(pid);
            }
            catch (IOException) { } // it exited meanwhile: its time is now in the parent's cutime
        }
        return total;
    }
}

/// <summary>
/// The whole machine's busy CPU from /proc/stat, in percent of one core (200% is two cores flat out): everything
/// measured shares the machine, so this says whether a run was short of CPU or waiting on something else.
/// </summary>
internal sealed class MachineCpuClock
{
    private readonly (long Busy, long Total) _start = Read();

    public double PercentSince()
    {
        var (busy, total) = Read();
        return total == _start.Total ? 0 : (busy - _start.Busy) * 100.0 * Environment.ProcessorCount / (total - _start.Total);
    }

    private static (long Busy, long Total) Read()
    {
        // cpu user nice system idle iowait irq softirq steal ...
        var ticks = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(t => long.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        var total = ticks.Sum();
        return (total - ticks[3] - ticks[4], total);
    }
}

internal static class Procfs
{
    private static string[] StatFields(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }

    public static int ParentOf(int pid) => int.Parse(StatFields(pid)[1], CultureInfo.InvariantCulture);

    /// <summary>utime + stime, and with <paramref name="withReapedChildren"/> cutime + cstime too.</summary>
    public static long CpuTicks(int pid, bool withReapedChildren)
    {
        var f = StatFields(pid);
        var own = long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
        return withReapedChildren ? own + long.Parse(f[13], CultureInfo.InvariantCulture) + long.Parse(f[14], CultureInfo.InvariantCulture) : own;
    }

    public static long CpuTicks(int pid) => CpuTicks(pid, withReapedChildren: false);

    public static double? PeakRssMb(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (IOException) { return null; }
    }
}
