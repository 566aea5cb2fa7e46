using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Contracts.Sharing;
using IntegrationHub.Persistence;
using IntegrationHub.Routing.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Routing.Sharing;

/// <summary>
/// Sends deliveries written by a decision's transaction (the outbox) to the recipients' queues, then marks them sent.
/// A crash between the two sends a delivery again with the same message id (its <c>DeliveryId</c>); recipients
/// de-duplicate on it.
/// </summary>
public sealed class DeliverySender(
    IDbContextFactory<HubDbContext> dbFactory,
    IOptions<MessagingOptions> messaging,
    TimeProvider clock,
    HubMetrics metrics,
    ILogger<DeliverySender> logger)
{
    private readonly bool _rabbit = messaging.Value.Transport == TransportKind.RabbitMq;

    public Uri AddressOf(string queue) => new(_rabbit ? $"exchange:{queue}" : $"queue:{queue}");

    private static Task SendAsync<T>(ISendEndpoint endpoint, DeliveryRecord delivery, T message, CancellationToken cancellationToken)
        where T : class =>
        endpoint.Send(message, context =>
        {
            context.MessageId = delivery.DeliveryId;
            context.CorrelationId = delivery.TrackingId;
            context.Headers.Set("hub-recipient", delivery.Recipient);
            context.Headers.Set("hub-message-kind", delivery.MessageKind);
        }, cancellationToken);

    private static Task SendAsync(ISendEndpoint endpoint, DeliveryRecord delivery, object message, Type type, CancellationToken cancellationToken) =>
        endpoint.Send(message, type, context =>
        {
            context.MessageId = delivery.DeliveryId;
            context.CorrelationId = delivery.TrackingId;
            context.Headers.Set("hub-recipient", delivery.Recipient);
            context.Headers.Set("hub-message-kind", delivery.MessageKind);
        }, cancellationToken);

    public async Task SendAsync(IReadOnlyList<DeliveryRecord> deliveries, ISendEndpointProvider endpoints, CancellationToken cancellationToken)
    {
        if (deliveries.Count == 0) return;
        foreach (var delivery in deliveries)
        {
            var endpoint = await endpoints.GetSendEndpoint(AddressOf(delivery.Queue));
            switch (delivery.MessageKind)
            {
                case nameof(DecisionNotToShareRejected):
                    await SendAsync(endpoint, delivery, JsonSerializer.Deserialize<DecisionNotToShareRejected>(delivery.Payload, ContractJson.Options)!, cancellationToken);
                    break;
                case nameof(RecordOpened):
                    await SendAsync(endpoint, delivery, JsonSerializer.Deserialize<RecordOpened>(delivery.Payload, ContractJson.Options)!, cancellationToken);
                    break;
                case var kind when RecipientMessageKinds.Lifecycle.TryGetValue(kind, out var type):
                    await SendAsync(endpoint, delivery, JsonSerializer.Deserialize(delivery.Payload, type, ContractJson.Options)!, type, cancellationToken);
                    break;
                default:
                    await SendAsync(endpoint, delivery, JsonSerializer.Deserialize<ConcernShared>(delivery.Payload, ContractJson.Options)!, cancellationToken);
                    break;
            }
            metrics.Delivered(delivery.Recipient);
        }

        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        foreach (var delivery in deliveries)
        {
            db.Attach(delivery);
            delivery.SentAt = now;
            delivery.Attempts++;
            db.Audit.Add(new AuditEntry
            {
                At = now, TrackingId = delivery.TrackingId, Event = "Delivered", Actor = "router",
                Detail = $"{delivery.Recipient} via {delivery.Queue} (delivery {delivery.DeliveryId})",
            });
        }
        await db.SaveChangesAsync(cancellationToken);
        logger.LogDebug("Sent {Count} deliveries", deliveries.Count);
    }
}
