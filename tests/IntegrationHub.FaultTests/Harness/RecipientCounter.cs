using System.Collections.Concurrent;
using System.Diagnostics;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace IntegrationHub.FaultTests.Harness;

/// <summary>
/// Reads every recipient queue as a recipient would (manual acks) and counts each delivery by its message id
/// (the hub's DeliveryId), raw and after de-duplication. Reconnects on its own when the broker goes away.
/// </summary>
public sealed class RecipientCounter(Func<int> amqpPort, IReadOnlyList<string> queues, Action<string> log) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> _seen = new();
    private readonly CancellationTokenSource _stop = new();
    private long _raw;
    private long _redelivered;
    private Task? _loop;

    public long Raw => Interlocked.Read(ref _raw);
    public long Redelivered => Interlocked.Read(ref _redelivered);
    public int Unique => _seen.Count;
    public long Duplicates => Raw - Unique;
    public IReadOnlyDictionary<string, int> Seen => _seen;

    /// <summary>
    /// Called, on the consumer's thread, the first time each delivery id is seen, with its correlation id (the tracking
    /// id) and the <see cref="Stopwatch"/> timestamp: the benchmark's latency clock. It must be quick; a scan of every
    /// arrival each 100 ms took a quarter of a core on a 2-core machine, taken from the hub being measured.
    /// </summary>
    public Action<string?, long>? FirstArrival { get; set; }

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Counts a delivery that arrived another way (a webhook), by its delivery id.</summary>
    public void Record(string id)
    {
        Interlocked.Increment(ref _raw);
        if (_seen.AddOrUpdate(id, 1, (_, n) => n + 1) == 1) FirstArrival?.Invoke(null, Stopwatch.GetTimestamp());
    }

    private async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            IConnection? connection = null;
            try
            {
                var factory = new ConnectionFactory
                {
                    Uri = new Uri($"amqp://guest:guest@127.0.0.1:{amqpPort()}/"), AutomaticRecoveryEnabled = false,
                    RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
                };
                connection = await factory.CreateConnectionAsync("fault-recipients", ct);
                var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                connection.ConnectionShutdownAsync += (_, _) => { closed.TrySetResult(); return Task.CompletedTask; };
                foreach (var queue in queues)
                {
                    var channel = await connection.CreateChannelAsync(cancellationToken: ct);
                    channel.ChannelShutdownAsync += (_, _) => { closed.TrySetResult(); return Task.CompletedTask; };
                    await channel.BasicQosAsync(0, 500, false, ct);
                    var consumer = new AsyncEventingBasicConsumer(channel);
                    consumer.ReceivedAsync += async (_, e) =>
                    {
                        var id = e.BasicProperties.MessageId ?? "(none)";
                        Interlocked.Increment(ref _raw);
                        if (e.Redelivered) Interlocked.Increment(ref _redelivered);
                        if (_seen.AddOrUpdate(id, 1, (_, n) => n + 1) == 1) FirstArrival?.Invoke(e.BasicProperties.CorrelationId, Stopwatch.GetTimestamp());
                        await channel.BasicAckAsync(e.DeliveryTag, false);
                    };
                    await channel.BasicConsumeAsync(queue, autoAck: false, consumer, ct);
                }
                await closed.Task.WaitAsync(ct);
                log("recipient connection closed; reconnecting");
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                log($"recipient consumer: {e.GetType().Name}: {e.Message.Split('\n')[0]}; retrying");
            }
            finally
            {
                if (connection is not null)
                {
                    try { await connection.DisposeAsync(); } catch (Exception) { /* broken already */ }
                }
            }
            try { await Task.Delay(500, ct); } catch (OperationCanceledException) { break; }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            try { await _loop; } catch (OperationCanceledException) { }
        }
        _stop.Dispose();
    }
}
