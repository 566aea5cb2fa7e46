using System.Diagnostics;
using System.Globalization;
using System.Text;
using IntegrationHub.FaultTests.Harness;
using IntegrationHub.Routing.Messaging;
using IntegrationHub.Routing.Sharing;
using IntegrationHub.Testing;
using MassTransit;
using RabbitMQ.Client;

namespace IntegrationHub.Benchmarks;

/// <summary>
/// The hub's broker work and nothing else, measured on the same broker in the same run: a MassTransit receive endpoint
/// (quorum queue, the hub's default prefetch and concurrency) takes each concern and sends it on, as the stored bytes
/// and with confirms, to as many recipient queues as the hub's decisions do on average (<c>--relay-fanout</c>), then
/// acknowledges it. No database, no protocol, no JSON written. With a fan-out of 0 it only consumes and acknowledges:
/// the "bare MassTransit" the issue compares against. Whatever the hub reaches, it cannot pass its own relay on the
/// same machine, so the relay's row says how much of the distance to raw RabbitMQ.Client is the broker's share.
/// </summary>
internal static partial class Program
{
    private const string RelayInQueue = "bench.relay-in";
    private const string TrackingHeader = "bench-tracking";

    /// <summary>The consumed message: its fields are not read (the relay sends the bytes it received).</summary>
    private sealed class RelayedConcern;

    /// <param name="fanOut">Deliveries per concern on average: concern i gets floor(F(i+1)) - floor(F i), so 2.7 gives 2s and 3s.</param>
    /// <param name="rate">Concerns per second offered, paced as the other steady runs; 0 for flat out.</param>
    private static async Task<Row> RelayBaselineAsync(RabbitMqNode rabbit, List<OutgoingConcern> concerns, double fanOut, double rate)
    {
        var defaults = new MessagingOptions();
        var label = fanOut == 0 ? "bare MassTransit" : string.Create(CultureInfo.InvariantCulture, $"MassTransit relay x{fanOut:0.##}");
        var name = rate > 0 ? $"{label} steady {rate:0}/s x {concerns.Count / rate:0}s" : label;
        var outQueues = Enumerable.Range(0, (int)Math.Ceiling(fanOut)).Select(k => $"bench.relay-out-{k}").ToList();
        Console.WriteLine($"{name}: publisher as the raw baseline -> quorum queue -> MassTransit (prefetch {defaults.PrefetchCount}, " +
                          $"{defaults.ConcurrentMessageLimit} at once){(fanOut > 0 ? $" -> {fanOut:0.##} sends per concern (confirms) -> {outQueues.Count} quorum queues" : "")}");

        var factory = new ConnectionFactory { Uri = rabbit.AmqpUri };
        await using var connection = await factory.CreateConnectionAsync("bench-relay-publisher");
        await using (var setup = await connection.CreateChannelAsync())
        {
            // Declared as the hub declares its recipient queues.
            foreach (var queue in outQueues) await RabbitMqRecipientTopology.DeclareQueueAsync(setup, queue, CancellationToken.None);
        }

        var index = concerns.Select((c, i) => (c.TrackingId.ToString(), i)).ToDictionary();
        var published = new long[concerns.Count];
        var latencies = new double[concerns.Count];
        var first = new int[concerns.Count];
        var arrived = 0;
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Arrived(string? tracking, long at)
        {
            // A concern's latency ends at the first of its deliveries to arrive, as in the hub's runs.
            if (tracking is null || !index.TryGetValue(tracking, out var i) || Interlocked.Exchange(ref first[i], 1) == 1) return;
            latencies[i] = Stopwatch.GetElapsedTime(published[i], at).TotalMilliseconds;
            if (Interlocked.Increment(ref arrived) == concerns.Count) all.TrySetResult();
        }

        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host("127.0.0.1", (ushort)rabbit.AmqpPort, "/", "bench-relay", h =>
            {
                h.Username("guest");
                h.Password("guest");
            });
            cfg.UseRawJsonSerializer(RawSerializerOptions.AnyMessageType | RawSerializerOptions.AddTransportHeaders, isDefault: true);
            cfg.ReceiveEndpoint(RelayInQueue, e =>
            {
                e.ConfigureConsumeTopology = false;
                e.SetQuorumQueue();
                e.PrefetchCount = defaults.PrefetchCount;
                e.ConcurrentMessageLimit = defaults.ConcurrentMessageLimit;
                e.Handler<RelayedConcern>(async context =>
                {
                    var tracking = HeaderText(context.Headers, TrackingHeader);
                    if (fanOut == 0 || tracking is null || !index.TryGetValue(tracking, out var i))
                    {
                        Arrived(tracking, Stopwatch.GetTimestamp());
                        return;
                    }
                    var body = Encoding.UTF8.GetString(context.ReceiveContext.Body.GetBytes());
                    var sends = (int)Math.Floor(fanOut * (i + 1)) - (int)Math.Floor(fanOut * i);
                    await Task.WhenAll(Enumerable.Range(0, sends).Select(async k =>
                    {
                        var endpoint = await context.GetSendEndpoint(new Uri($"exchange:{outQueues[k]}"));
                        await endpoint.Send(context.Message, send =>
                        {
                            send.Serializer = new StoredPayloadSerializer(body);
                            send.MessageId = NewId.NextGuid();
                            send.CorrelationId = Guid.Parse(tracking);
                            send.Headers.Set("hub-recipient", outQueues[k]);
                            send.Headers.Set("hub-message-kind", "ConcernShared");
                        }, context.CancellationToken);
                    }));
                });
            });
        });
        await bus.StartAsync();
        try
        {
            await using var recipients = new RecipientCounter(() => rabbit.AmqpPort, outQueues, _ => { }) { FirstArrival = Arrived };
            if (fanOut > 0) recipients.Start();

            var broker = CpuClock.ForBroker(rabbit);
            var self = CpuClock.For(Environment.ProcessId);
            var machine = new MachineCpuClock();
            var sw = Stopwatch.StartNew();
            await PublishPacedAsync(connection, RelayInQueue, concerns, rate, published, (c, _) => new BasicProperties
            {
                ContentType = "application/json", Type = c.Type, MessageId = c.MessageId, DeliveryMode = DeliveryModes.Persistent,
                Headers = new Dictionary<string, object?> { [TrackingHeader] = c.TrackingId.ToString() },
            });
            await all.Task.WaitAsync(TimeSpan.FromMinutes(10));
            var seconds = sw.Elapsed.TotalSeconds;
            var selfPercent = self.PercentSince();
            var brokerPercent = broker?.PercentSince();
            var machinePercent = machine.PercentSince();
            Array.Sort(latencies);
            // The run ends at the last concern's first delivery, as the hub's do; its other deliveries are still counted
            // (and drained, so they do not land in the next run).
            var expected = (long)Math.Floor(fanOut * concerns.Count);
            var drain = Stopwatch.StartNew();
            while (recipients.Raw < expected && drain.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(20);
            var perConcern = recipients.Raw / (double)concerns.Count;
            var note = string.Create(CultureInfo.InvariantCulture,
                $"{(rate > 0 ? $"offered {rate:0}/s; " : "")}the relay runs in the benchmark process, {selfPercent:0}% of a core with the publisher and readers{(fanOut > 0 ? $"; {perConcern:0.00} deliveries per concern" : "")}");
            return new Row(name, concerns.Count, seconds, concerns.Count / seconds, Pct(latencies, 50), Pct(latencies, 95), Pct(latencies, 99),
                null, null, brokerPercent, note, MachineCpu: machinePercent);
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    /// <summary>AMQP carries string headers as bytes; MassTransit may hand either over.</summary>
    private static string? HeaderText(MassTransit.Headers headers, string key) =>
        headers.TryGetHeader(key, out var value) ? value switch
        {
            string s => s,
            byte[] b => Encoding.UTF8.GetString(b),
            _ => value?.ToString(),
        } : null;

    /// <summary>
    /// Publishes with confirms to a queue through the default exchange, batches of <see cref="BatchFor"/>: flat out one
    /// batch after another, or open-loop at <paramref name="rate"/> per second (<see cref="Pacing"/>), as the hub's runs
    /// are offered theirs. Notes each message's publish time in <paramref name="published"/> by its index.
    /// </summary>
    private static async Task PublishPacedAsync(IConnection connection, string queue, List<OutgoingConcern> concerns, double rate, long[] published,
        Func<OutgoingConcern, int, BasicProperties> properties)
    {
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        await Pacing.RunAsync(concerns.Count, rate, BatchFor(rate), (start, end) =>
        {
            var tasks = new List<Task>(end - start);
            for (var i = start; i < end; i++)
            {
                var props = properties(concerns[i], i);
                published[i] = Stopwatch.GetTimestamp();
                tasks.Add(channel.BasicPublishAsync("", queue, false, props, concerns[i].Body).AsTask());
            }
            return Task.WhenAll(tasks);
        }, openLoop: true, CancellationToken.None);
    }
}
