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
/// de-duplicate on it. A message's deliveries are sent side by side (each waits for its publisher confirm), and the
/// sent-marks of many messages share one transaction (a group commit, docs/decisions/0006-group-commit.md).
/// </summary>
public sealed class DeliverySender : IAsyncDisposable
{
    private readonly IDbContextFactory<HubDbContext> _dbFactory;
    private readonly TimeProvider _clock;
    private readonly HubMetrics _metrics;
    private readonly ILogger<DeliverySender> _logger;
    private readonly bool _rabbit;
    private readonly TimeSpan _sendTimeout;
    private readonly GroupCommit<SentMark, bool> _marks;

    public DeliverySender(IDbContextFactory<HubDbContext> dbFactory, IOptions<MessagingOptions> messaging, GroupCommits groupCommits,
        TimeProvider clock, HubMetrics metrics, ILogger<DeliverySender> logger)
    {
        _dbFactory = dbFactory;
        _clock = clock;
        _metrics = metrics;
        _logger = logger;
        _rabbit = messaging.Value.Transport == TransportKind.RabbitMq;
        _sendTimeout = messaging.Value.SendTimeout;
        _marks = groupCommits.Create<SentMark, bool>("sent-marks", MarkSentAsync, _ => false);
    }

    private sealed record SentMark(IReadOnlyList<DeliveryRecord> Deliveries, DateTimeOffset At);

    /// <summary>The transport header naming the recipient a message is for (docs/wire-format.md).</summary>
    public const string RecipientHeader = "hub-recipient";

    /// <summary>The transport header naming the kind of message (<c>DeliveryRecord.MessageKind</c>).</summary>
    public const string MessageKindHeader = "hub-message-kind";

    public Uri AddressOf(string queue) => new(_rabbit ? $"exchange:{queue}" : $"queue:{queue}");

    private static Task SendAsync(ISendEndpoint endpoint, DeliveryRecord delivery, object message, CancellationToken cancellationToken) =>
        endpoint.Send(message, message.GetType(), context =>
        {
            context.Serializer = new StoredPayloadSerializer(delivery.Payload);
            context.MessageId = delivery.DeliveryId;
            context.CorrelationId = delivery.TrackingId;
            context.Headers.Set(RecipientHeader, delivery.Recipient);
            context.Headers.Set(MessageKindHeader, delivery.MessageKind);
        }, cancellationToken);

    public async Task SendAsync(IReadOnlyList<DeliveryRecord> deliveries, ISendEndpointProvider endpoints, CancellationToken cancellationToken)
    {
        if (deliveries.Count == 0) return;
        if (deliveries.Count == 1) await SendOneAsync(deliveries[0], endpoints, cancellationToken);
        else await Task.WhenAll(deliveries.Select(d => SendOneAsync(d, endpoints, cancellationToken)));

        var now = _clock.GetUtcNow();
        await _marks.CommitAsync(new SentMark(deliveries, now), cancellationToken);
        foreach (var delivery in deliveries)
        {
            delivery.SentAt = now;
        }
        _logger.LogDebug("Sent {Count} deliveries", deliveries.Count);
    }

    private async Task SendOneAsync(DeliveryRecord delivery, ISendEndpointProvider endpoints, CancellationToken consumeCancellation)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(consumeCancellation);
        timeout.CancelAfter(_sendTimeout);
        var cancellationToken = timeout.Token;
        var endpoint = await endpoints.GetSendEndpoint(AddressOf(delivery.Queue));
        // The body sent is the stored payload (StoredPayloadSerializer); the object gives MassTransit the message type. Staged
        // in this process moments ago, it is at hand; read back from the outbox, the payload is parsed for it.
        var message = delivery.Message ?? JsonSerializer.Deserialize(delivery.Payload, TypeOf(delivery.MessageKind), ContractJson.Options)!;
        await SendAsync(endpoint, delivery, message, cancellationToken);
        _metrics.Delivered(delivery.Recipient);
    }

    private static Type TypeOf(string messageKind) => messageKind switch
    {
        nameof(DecisionNotToShareRejected) => typeof(DecisionNotToShareRejected),
        nameof(RecordOpened) => typeof(RecordOpened),
        _ when RecipientMessageKinds.Lifecycle.TryGetValue(messageKind, out var type) => type,
        _ => typeof(ConcernShared),
    };

    /// <summary>One transaction for the sent-marks of many messages: one update for all their deliveries, an audit entry per message.</summary>
    private async Task<IReadOnlyList<bool>> MarkSentAsync(IReadOnlyList<SentMark> marks, CancellationToken ct)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        db.Database.AutoSavepointsEnabled = false;
        var at = marks.Max(m => m.At);
        var ids = marks.SelectMany(m => m.Deliveries).Select(d => d.DeliveryId).Distinct().ToList();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Only SentAt changes: with room on the page (Hub:Database:DeliveriesFillFactor), PostgreSQL then logs the changed
        // bytes, not the whole row again (docs/decisions/0011).
        await db.Deliveries.Where(d => ids.Contains(d.DeliveryId)).ExecuteUpdateAsync(s => s.SetProperty(d => d.SentAt, at), ct);
        // One entry per message sent for: its deliveries, each with recipient, queue and delivery id.
        foreach (var mark in marks)
        {
            foreach (var sent in mark.Deliveries.GroupBy(d => d.TrackingId))
            {
                db.Audit.Add(new AuditEntry
                {
                    At = mark.At, TrackingId = sent.Key, Event = "Delivered", Actor = "router",
                    Detail = string.Join("; ", sent.Select(d => $"{d.Recipient} via {d.Queue} (delivery {d.DeliveryId})")),
                });
            }
        }
        await db.SaveChangesCopyingInsertsAsync(ct);
        await tx.CommitAsync(ct);
        return [.. marks.Select(_ => true)];
    }

    public ValueTask DisposeAsync() => _marks.DisposeAsync();
}
