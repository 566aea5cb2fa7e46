using System.Text;
using IntegrationHub.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace IntegrationHub.IntegrationTests;

/// <summary>An agency system on AMQP, as the tests play it: a plain RabbitMQ.Client with the agency's own broker user.</summary>
public static class AgencyAmqp
{
    /// <summary>The agency's broker user and its password in deploy/rabbitmq/definitions.json (development passwords).</summary>
    public static Task<IConnection> ConnectAsAsync(this RabbitMqNode node, string user) =>
        new ConnectionFactory { Uri = node.AmqpUriFor(user, $"{user}-dev-password") }.CreateConnectionAsync();

    public static BasicProperties Properties(string? type, string? messageId, string? userId, string? contentType = "application/json") => new()
    {
        ContentType = contentType, Type = type, MessageId = messageId, UserId = userId, DeliveryMode = DeliveryModes.Persistent,
    };

    /// <summary>Publishes one message with confirms on a channel of its own.</summary>
    public static async Task PublishAsync(IConnection connection, string agency, string? type, byte[] body, string? messageId, string? userId,
        string? contentType = "application/json")
    {
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await channel.BasicPublishAsync($"agency.{agency}.inbound", "", mandatory: false, Properties(type, messageId, userId, contentType), body);
    }

    /// <summary>The text of a header as RabbitMQ.Client hands it over (AMQP long strings arrive as bytes).</summary>
    public static string Header(this IReadOnlyBasicProperties properties, string name) =>
        properties.Headers?.TryGetValue(name, out var value) == true
            ? value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : value?.ToString() ?? ""
            : "";

    /// <summary>Messages in a queue, or 0 when it does not exist (an error queue is declared at its first fault).</summary>
    public static async Task<uint> DepthAsync(IConnection connection, string queue)
    {
        // A passive declare of a missing queue closes its channel: one channel per question.
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (OperationInterruptedException)
        {
            return 0;
        }
    }
}
