using System.Text.Json;
using IntegrationHub.Routing.Messaging;
using IntegrationHub.Routing.Referrals;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace IntegrationHub.Operations.Failures;

/// <summary>
/// The router's error queue on RabbitMQ (<c>hub.route-concern_error</c>). A failure is held by the hub (the failures table
/// and the stored message), so once operations have retried or discarded it, the broker's copy is only a stale duplicate
/// that the Queues page would go on counting and that a replay tool could send again. This takes those copies out.
/// In the embedded mode there is nothing to do: the in-memory bus keeps no durable error queue, and the Queues page
/// counts open failures from the database.
/// </summary>
public sealed class RabbitMqErrorQueue(IOptions<MessagingOptions> messaging, ILogger<RabbitMqErrorQueue> logger)
{
    public static readonly string Name = RouteConcernConsumerDefinition.QueueName + "_error";

    public bool Applies => messaging.Value.Transport == TransportKind.RabbitMq;

    /// <summary>
    /// Removes the error-queue copies of these concerns (matched by message id, which is the tracking id). Looks at no
    /// more messages than were waiting when it began and stops once every id is found; the messages it passes over are
    /// not acknowledged and return to the queue when its channel closes. Returns the tracking ids whose copies were removed, or null
    /// when the broker could not be reached (the copies then stay; retrying again removes them).
    /// </summary>
    public async Task<IReadOnlySet<Guid>?> RemoveAsync(IReadOnlyCollection<Guid> trackingIds, CancellationToken ct)
    {
        if (!Applies || trackingIds.Count == 0) return new HashSet<Guid>();
        var factory = RabbitMqConnections.FactoryFor(messaging.Value.RabbitMq, "integrationhub-operations");
        try
        {
            await using var connection = await factory.CreateConnectionAsync(ct);
            var removed = await RabbitMqConnections.RemoveAsync(connection, Name, new HashSet<Guid>(trackingIds), TrackingIdOf, ct);
            logger.LogInformation("Removed {Removed} resolved failure(s) from {Queue}", removed.Count, Name);
            return removed;
        }
        catch (Exception ex) when (RabbitMqConnections.IsUnreachable(ex))
        {
            logger.LogWarning(ex, "Could not remove resolved failures from {Queue}; their copies stay there", Name);
            return null;
        }
    }

    /// <summary>MassTransit sets the AMQP message id to the message id, which the hub sets to the tracking id; the envelope has it too.</summary>
    private static Guid? TrackingIdOf(BasicGetResult got)
    {
        if (Guid.TryParse(got.BasicProperties.MessageId, out var id)) return id;
        try
        {
            using var envelope = JsonDocument.Parse(got.Body);
            return envelope.RootElement.TryGetProperty("messageId", out var m) && Guid.TryParse(m.GetString(), out id) ? id : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
