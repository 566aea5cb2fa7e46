using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace IntegrationHub.Routing.Messaging;

/// <summary>
/// Declares each recipient's durable quorum queue with a fanout exchange of the same name bound to it, before the bus
/// starts, so a delivery is never sent to an exchange with nothing behind it. MassTransit sends to <c>exchange:NAME</c>;
/// the declaration matches the one MassTransit makes (fanout, durable), and that in deploy/rabbitmq/definitions.json.
/// </summary>
public static class RabbitMqRecipientTopology
{
    public static async Task DeclareAsync(RabbitMqOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var factory = RabbitMqConnections.FactoryFor(options, "integrationhub-topology");
        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        foreach (var queue in RecipientQueues.All.Concat(RecipientQueues.AllFeedback))
        {
            await DeclareQueueAsync(channel, queue, cancellationToken);
        }
        logger.LogInformation("Recipient and feedback queues declared: {Queues}", string.Join(", ", RecipientQueues.All.Concat(RecipientQueues.AllFeedback)));
    }

    /// <summary>One recipient queue as the hub declares it: a durable quorum queue behind a fanout exchange of the same name.</summary>
    public static async Task DeclareQueueAsync(IChannel channel, string queue, CancellationToken cancellationToken)
    {
        var quorum = new Dictionary<string, object?> { ["x-queue-type"] = "quorum" };
        await channel.ExchangeDeclareAsync(queue, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: quorum, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(queue, queue, routingKey: "", cancellationToken: cancellationToken);
    }
}
