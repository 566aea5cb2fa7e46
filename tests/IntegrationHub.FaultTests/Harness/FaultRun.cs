using System.Diagnostics;
using System.Globalization;
using IntegrationHub.Routing.Messaging;
using IntegrationHub.Testing;

namespace IntegrationHub.FaultTests.Harness;

/// <summary>The figures a fault test prints and asserts on.</summary>
public sealed record FaultReport(
    string Name, int Sent, int Republished, int Decided, int LostConcerns, int DuplicateDecisions,
    int DeliveriesStaged, int DeliveriesSent, int DeliveredUnique, long DeliveredRaw, long DuplicateDeliveries, long Redelivered,
    int LostDeliveries, int UnexpectedDeliveries, long DeadLettered, string DeadLetterDetail, TimeSpan Elapsed, int HubStarts)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"[{Name}] sent={Sent} (batches re-published: {Republished} msgs) decided={Decided} lost={LostConcerns} duplicateDecisions={DuplicateDecisions} " +
        $"deliveriesStaged={DeliveriesStaged} sentMarked={DeliveriesSent} delivered(unique)={DeliveredUnique} delivered(raw)={DeliveredRaw} " +
        $"duplicateDeliveries(raw-unique)={DuplicateDeliveries} redeliveredFlag={Redelivered} lostDeliveries={LostDeliveries} unexpected={UnexpectedDeliveries} " +
        $"deadLettered={DeadLettered}{DeadLetterDetail} hubStarts={HubStarts} elapsed={Elapsed.TotalSeconds:0.0}s");
}

/// <summary>
/// One fault test: a hub child process on a private broker and database, a stream of agency concerns, a fault injected
/// once a share of them is decided, then a count per concern of the decisions stored and of the deliveries on every
/// recipient queue.
/// </summary>
public sealed class FaultRun : IAsyncDisposable
{
    private readonly Action<string> _log;
    private readonly string _workDir;

    /// <param name="settings">More hub settings (e.g. a recipient's webhook).</param>
    /// <param name="recipientQueues">The recipient queues to read (default all; leave out one the hub reads itself for a webhook).</param>
    public FaultRun(string name, Func<int> amqpPort, Func<RabbitMqNode> ctlNode, string postgres, Action<string> log,
        IReadOnlyDictionary<string, string?>? settings = null, IReadOnlyList<string>? recipientQueues = null)
    {
        Name = name;
        _log = log;
        AmqpPort = amqpPort;
        CtlNode = ctlNode;
        _workDir = Path.Combine(Path.GetTempPath(), $"ih-fault-{name}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(_workDir);
        var hubSettings = HubProcess.Settings(amqpPort(), postgres, Path.Combine(_workDir, "data"));
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) hubSettings[key] = value;
        Hub = new HubProcess(hubSettings, Path.Combine(_workDir, "hub.log"));
        Publisher = new AgencyPublisher(amqpPort, log);
        Recipients = new RecipientCounter(amqpPort, recipientQueues ?? RecipientQueues.All, log);
        Ledger = new Ledger(postgres);
    }

    public string Name { get; }
    public Func<int> AmqpPort { get; }
    public Func<RabbitMqNode> CtlNode { get; }
    public HubProcess Hub { get; }
    public AgencyPublisher Publisher { get; }
    public RecipientCounter Recipients { get; }
    public Ledger Ledger { get; }

    /// <summary>Publishes <paramref name="concerns"/> at <paramref name="perSecond"/>; runs <paramref name="fault"/> once <paramref name="faultAfterDecided"/> are decided; waits for all to land.</summary>
    public async Task<FaultReport> RunAsync(IReadOnlyList<OutgoingConcern> concerns, double perSecond, int faultAfterDecided, Func<Task> fault, TimeSpan? settle = null)
    {
        var sw = Stopwatch.StartNew();
        Recipients.Start();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        var publishing = Task.Run(() => Publisher.PublishAllAsync(concerns, perSecond, 100, cts.Token));

        await WaitForAsync("the fault point", async () => (await Ledger.TryCountDecisionsAsync() ?? 0) >= faultAfterDecided, TimeSpan.FromMinutes(3), publishing);
        _log($"[{Name}] {await Ledger.TryCountDecisionsAsync()} decided, {Publisher.Confirmed} of {concerns.Count} published, at {sw.Elapsed.TotalSeconds:0.0}s: injecting the fault");
        await fault();
        _log($"[{Name}] fault done at {sw.Elapsed.TotalSeconds:0.0}s");
        await publishing;
        _log($"[{Name}] all {concerns.Count} published at {sw.Elapsed.TotalSeconds:0.0}s");

        var expected = concerns.Where(c => !c.Poison).Select(c => c.TrackingId).ToHashSet();
        Ledger.Snapshot? last = null;
        // Done when every concern is decided, every staged delivery is sent and received, and the count of staged
        // deliveries has stopped moving (the pattern index stages its alerts after the decisions, on its own queue).
        var stagedBefore = -1;
        var done = await WaitForAsync("every concern decided and every delivery received", async () =>
        {
            try { last = await Ledger.ReadAsync(); }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException) { return false; }
            var settled = last.Deliveries == stagedBefore;
            stagedBefore = last.Deliveries;
            return settled && expected.IsSubsetOf(last.Decided) && last.DeliveriesSent == last.Deliveries
                && last.DeliveryIds.All(id => Recipients.Seen.ContainsKey(id.ToString()));
        }, settle ?? TimeSpan.FromMinutes(4));
        if (!done)
        {
            string queues;
            try { queues = await CtlNode().RabbitMqCtlAsync("list_queues", "-q", "--no-table-headers", "name", "messages_ready", "messages_unacknowledged", "consumers"); }
            catch (Exception e) { queues = $"(could not list queues: {e.Message})"; }
            _log($"[{Name}] did not complete in time; reporting what is there\n--- queues (name, ready, unacked, consumers) ---\n{queues}\n--- hub log tail ---\n{Hub.Tail()}");
        }
        // Let late duplicates (redeliveries) arrive so that they are counted.
        await Task.Delay(TimeSpan.FromSeconds(2));
        // What was received before the ledger is read must be in it (a delivery is sent only after it is committed);
        // what the ledger holds must have been received by the time it has been read.
        var seenBefore = Recipients.Seen.Keys.ToHashSet();
        last = await Ledger.ReadAsync();
        var (dead, detail) = await DeadLetteredAsync();
        var seen = Recipients.Seen;
        var report = new FaultReport(Name, expected.Count, Publisher.Republished,
            Decided: expected.Count(last.Decided.Contains), LostConcerns: expected.Count(t => !last.Decided.Contains(t)),
            DuplicateDecisions: last.DuplicateDecisions, DeliveriesStaged: last.Deliveries, DeliveriesSent: last.DeliveriesSent,
            DeliveredUnique: Recipients.Unique, DeliveredRaw: Recipients.Raw, DuplicateDeliveries: Recipients.Duplicates, Redelivered: Recipients.Redelivered,
            LostDeliveries: last.DeliveryIds.Count(id => !seen.ContainsKey(id.ToString())),
            UnexpectedDeliveries: seenBefore.Count(k => !Guid.TryParse(k, out var g) || !last.DeliveryIds.Contains(g)),
            DeadLettered: dead, DeadLetterDetail: detail, Elapsed: sw.Elapsed, HubStarts: Hub.Starts);
        _log(report.ToString());
        return report;
    }

    /// <summary>Messages in every <c>*_error</c> queue (MassTransit's dead letters).</summary>
    public async Task<(long Count, string Detail)> DeadLetteredAsync()
    {
        var output = await CtlNode().RabbitMqCtlAsync("list_queues", "-q", "--no-table-headers", "name", "messages");
        long total = 0;
        var parts = new List<string>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var cols = line.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            if (cols.Length < 2 || !cols[0].EndsWith("_error", StringComparison.Ordinal) || !long.TryParse(cols[1], out var n) || n == 0) continue;
            total += n;
            parts.Add($"{cols[0]}={n}");
        }
        return (total, parts.Count == 0 ? "" : $" ({string.Join(", ", parts)})");
    }

    private async Task<bool> WaitForAsync(string what, Func<Task<bool>> condition, TimeSpan timeout, Task? mustNotFail = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (mustNotFail is { IsFaulted: true }) await mustNotFail; // surfaces the publisher's exception
            if (await condition()) return true;
            await Task.Delay(500);
        }
        _log($"[{Name}] timed out waiting for {what}");
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        await Recipients.DisposeAsync();
        await Publisher.DropAllAsync();
        await Hub.DisposeAsync();
        if (Environment.GetEnvironmentVariable("FAULT_KEEP") == "1") { StaleNodes.Keep(_workDir); _log($"[{Name}] kept {_workDir}"); return; }
        try { Directory.Delete(_workDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
