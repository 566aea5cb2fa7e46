using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Xunit;

namespace IntegrationHub.Testing.Tests;

internal static class Amqp
{
    public static readonly Dictionary<string, object?> Quorum = new() { ["x-queue-type"] = "quorum" };

    public static Task<IConnection> ConnectAsync(Uri uri) =>
        new ConnectionFactory { Uri = uri, AutomaticRecoveryEnabled = false, RequestedConnectionTimeout = TimeSpan.FromSeconds(10) }
            .CreateConnectionAsync();

    public static Task<IChannel> ConfirmChannelAsync(IConnection connection) =>
        connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));

    public static async Task PublishAsync(IChannel channel, string exchange, string routingKey, string text) =>
        await channel.BasicPublishAsync(exchange, routingKey, mandatory: false, new BasicProperties { Persistent = true, ContentType = "text/plain" }, Encoding.UTF8.GetBytes(text));

    /// <summary>Consumes one message (auto-ack) within a bounded time.</summary>
    public static async Task<string> ConsumeOneAsync(IChannel channel, string queue, TimeSpan? timeout = null)
    {
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, ea) =>
        {
            received.TrySetResult(Encoding.UTF8.GetString(ea.Body.Span));
            return Task.CompletedTask;
        };
        var tag = await channel.BasicConsumeAsync(queue, autoAck: true, consumer);
        var text = await received.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(15));
        await channel.BasicCancelAsync(tag);
        return text;
    }

    /// <summary>Polls basic.get (auto-ack) until a message arrives, within a bounded time.</summary>
    public static async Task<string> GetOneAsync(IChannel channel, string queue, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var result = await channel.BasicGetAsync(queue, autoAck: true);
            if (result is not null)
            {
                return Encoding.UTF8.GetString(result.Body.Span);
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no message on {queue} within {timeout.TotalSeconds:0}s");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Runs an operation that the broker must refuse with ACCESS_REFUSED (403, closes the channel).</summary>
    public static async Task AssertAccessRefusedAsync(IChannel channel, Func<Task> operation)
    {
        try
        {
            await operation();
        }
        catch (Exception e) when (e is RabbitMQ.Client.Exceptions.OperationInterruptedException or RabbitMQ.Client.Exceptions.AlreadyClosedException or RabbitMQ.Client.Exceptions.PublishException)
        {
            // Expected shape; the close reason below is what counts.
        }

        // A refused publish closes the channel asynchronously: poll for it (bounded).
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!channel.IsClosed && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(channel.IsClosed, "the broker did not close the channel");
        Assert.Equal((ushort)403, channel.CloseReason?.ReplyCode ?? 0);
        Assert.Contains("ACCESS_REFUSED", channel.CloseReason?.ReplyText ?? string.Empty, StringComparison.Ordinal);
    }
}
