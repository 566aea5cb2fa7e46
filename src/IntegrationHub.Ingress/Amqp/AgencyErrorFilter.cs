using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Ingress.Quarantine;
using IntegrationHub.Ingress.Referrals;
using IntegrationHub.Lifecycle.Intake;
using IntegrationHub.Persistence;
using IntegrationHub.Routing;
using IntegrationHub.Routing.Messaging;
using MassTransit;
using MassTransit.RabbitMqTransport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace IntegrationHub.Ingress.Amqp;

/// <summary>
/// Moves a message that failed on an agency's inbound queue to <c>&lt;queue&gt;_error</c>, whole, with the reason in
/// headers. MassTransit's own error transport copies every AMQP property, <c>user_id</c> included, and the broker
/// refuses a <c>user_id</c> that is not the publishing connection's own (the hub's): the message would then loop back
/// onto the inbound queue forever. Here the sender is kept in <c>hub-sender</c> and <c>user_id</c> is cleared.
/// </summary>
/// <remarks>
/// <para>A body that is not a JSON object fails in MassTransit's deserializer, before the consumer could refuse (and count)
/// it: it is counted here, with the reason <c>not-json</c>.</para>
/// <para>Before the move the message is also kept in the hub's quarantine (decision 0013), as refused input over HTTP is:
/// operations see it on the Failures page and can replay or discard it, and the copy in the error queue carries the
/// quarantine id in <c>hub-quarantine-id</c>, so that replaying or discarding takes the copy out. While the database is
/// down or not answering, the message is held here, unacknowledged, and the quarantine tried again until it can be
/// written (decision 0015). Only a quarantine write that fails for a reason of its own moves the message without it.</para>
/// </remarks>
public sealed class AgencyErrorFilter(HubMetrics metrics, IDbContextFactory<HubDbContext> dbFactory, QuarantineStore quarantine, int keepBytes, ILogger logger)
    : IFilter<ExceptionReceiveContext>
{
    /// <summary>How long one try to write the quarantine may take before it counts as the database not answering.</summary>
    private static readonly TimeSpan QuarantineTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Longest wait between two tries while the database is down.</summary>
    private static readonly TimeSpan OutageWaitCap = TimeSpan.FromSeconds(30);

    public async Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        if (context.Exception is not InboundRefusedException && await KeptAlreadyAsync(context) is { } trackingId)
        {
            // Decided (or, for a lifecycle report, recorded) before whatever failed after it, such as a send to a recipient
            // queue: it is safe in the hub, and the stalled-work sweeper sends what is unsent. Quarantined, it would be
            // offered for replay, and a replay decides it again under a new tracking id: delivered twice.
            logger.LogWarning("AMQP message {TrackingId} failed after it was kept ({ExceptionType}); acknowledged, not quarantined: the sweeper finishes its work",
                trackingId, context.Exception.GetType().Name);
            await next.Send(context);
            return;
        }
        var reason = AgencyMove.ReasonFor(context.Exception, context.GetBody());
        var quarantineId = await QuarantineAsync(context, reason);
        await AgencyMove.MoveAsync(context, "_error", context.Exception, reason, context.ExceptionTimestamp, quarantineId);
        if (context.Exception is not InboundRefusedException)
            metrics.Refused("amqp", reason.Code);
        await next.Send(context);
    }

    private async Task<Guid?> QuarantineAsync(ExceptionReceiveContext context, (string Code, string Message) reason)
    {
        if (!context.TryGetPayload(out RabbitMqBasicConsumeContext? amqp)) return null;
        var properties = amqp.Properties;
        var agency = VouchedAgency(context, properties);
        var body = context.GetBody();
        var kept = body.Length > keepBytes ? body[..keepBytes] : body;
        var id = QuarantineIdFor(context.InputAddress.AbsolutePath.Trim('/').Split('/').Last(), properties.UserId, properties.MessageId, body);
        var wait = TimeSpan.FromSeconds(1);
        for (var attempt = 1; ; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
            timeout.CancelAfter(QuarantineTimeout);
            try
            {
                return await quarantine.AddAsync(agency?.ToString(), "amqp", properties.Type, properties.ContentType, reason.Code, reason.Message, kept, body.Length,
                    timeout.Token, sameInputId: id);
            }
            catch (Exception ex) when (StoreOutage.Is(ex) || (ex is OperationCanceledException && !context.CancellationToken.IsCancellationRequested))
            {
                // The database is down or not answering: hold the message and try again, rather than move it where
                // operations cannot see it (decision 0015). If the hub stops meanwhile, the message goes back to its queue.
                if (attempt == 1 || attempt % 10 == 0)
                    logger.LogWarning("A refused AMQP message ({ReasonCode}) cannot be kept in quarantine yet ({ExceptionType}, try {Attempt}): it is held until the database answers",
                        reason.Code, ex.GetType().Name, attempt);
                await Task.Delay(wait, context.CancellationToken);
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, OutageWaitCap.Ticks));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "A refused AMQP message could not be kept in quarantine ({ReasonCode}); it is moved to the error queue without it", reason.Code);
                return null;
            }
        }
    }

    /// <summary>
    /// The quarantine id of a refused AMQP message: the same each time the same message is refused, so that it is kept once
    /// (a write whose commit was not answered and is tried again; a message redelivered because its move to the error
    /// queue, or its acknowledgement, failed after it was kept). From the queue it came to, the sender's <c>user_id</c>,
    /// its <c>message_id</c> and the SHA-256 of its whole body: the body is part of it because an id an agency used again
    /// for different content (<c>key-reused</c>) is another message, kept on its own.
    /// </summary>
    public static Guid QuarantineIdFor(string queue, string? userId, string? messageId, ReadOnlySpan<byte> body)
    {
        // Each part with its length, so that no two different sets of parts read the same.
        static string Part(string? value) => value is null ? "-" : $"{value.Length}:{value}";
        var text = $"amqp|{Part(queue)}|{Part(userId)}|{Part(messageId)}|{Convert.ToHexStringLower(ReusedKeys.Fingerprint(body))}";
        return new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(text))[..16]);
    }

    /// <summary>
    /// The tracking id of this message if the hub has kept it already: a concern's messages row is written with its
    /// decision, a lifecycle report's when it is recorded. Null when not, or when the database cannot say (then the
    /// message is quarantined, which waits for the database).
    /// </summary>
    private async Task<Guid?> KeptAlreadyAsync(ExceptionReceiveContext context)
    {
        if (!context.TryGetPayload(out RabbitMqBasicConsumeContext? amqp)) return null;
        var properties = amqp.Properties;
        if (VouchedAgency(context, properties) is not { } agency) return null;
        var key = AgencyInboundConsumer.IdempotencyKeyOf(properties.MessageId, ReusedKeys.Fingerprint(context.GetBody()));
        var asConcern = ConcernIntake.TrackingIdFor(agency, key);
        var asReport = properties.Type is { Length: > 0 } kind ? LifecycleIntake.TrackingIdFor(agency, kind, key) : asConcern;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
            timeout.CancelAfter(QuarantineTimeout);
            await using var db = await dbFactory.CreateDbContextAsync(timeout.Token);
            return await db.Messages.AsNoTracking().Where(m => m.TrackingId == asConcern || m.TrackingId == asReport)
                .Select(m => (Guid?)m.TrackingId).FirstOrDefaultAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !context.CancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>The agency only when the broker vouches for it (<c>user_id</c>) and it is that agency's queue; otherwise nobody's.</summary>
    private static Agency? VouchedAgency(ReceiveContext context, IReadOnlyBasicProperties properties) =>
        AgencyInboundConsumer.AgencyOfUser(properties.UserId) is { } user && user == AgencyInboundConsumer.AgencyOfQueue(context.InputAddress.AbsolutePath)
            ? user : null;

    public void Probe(ProbeContext context) => context.CreateFilterScope("agency-error");
}

/// <summary>
/// A message nothing consumed (MassTransit "skipped") goes to <c>&lt;queue&gt;_skipped</c>, again without the agency's
/// <c>user_id</c>, for the same reason as <see cref="AgencyErrorFilter"/>.
/// </summary>
public sealed class AgencyDeadLetterFilter : IFilter<ReceiveContext>
{
    public async Task Send(ReceiveContext context, IPipe<ReceiveContext> next)
    {
        // MassTransit sends a message it could not deserialize down the error pipe and then, as nothing consumed it,
        // down this one too: it is already in the error queue with its reason, and must not be in two places.
        if (!context.TryGetPayload<AgencyMove.Moved>(out _))
            await AgencyMove.MoveAsync(context, "_skipped", exception: null, reason: null, DateTime.UtcNow, quarantineId: null);
        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("agency-dead-letter");
}

/// <summary>Moves an agency's message, whole, to a queue beside its inbound queue, clearing <c>user_id</c>.</summary>
internal static class AgencyMove
{
    private static readonly ConcurrentDictionary<string, bool> Declared = new();

    /// <summary>Marks a receive context whose message has been moved already.</summary>
    public sealed record Moved(string Queue, string Reason);

    /// <summary>
    /// Why a message failed: the consumer's own refusal (its reason code and message), a body that is not one JSON
    /// object (<c>not-json</c>: MassTransit's deserializer fails on it before the consumer, with exceptions of several
    /// types, so the body itself is examined), or anything else (<c>exception</c>).
    /// </summary>
    public static (string Code, string Message) ReasonFor(Exception exception, ReadOnlySpan<byte> body)
    {
        if (exception is InboundRefusedException refused) return (refused.ReasonCode, refused.Message);
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return ("not-json", $"The body is JSON but not an object ({document.RootElement.ValueKind}): send each message as one JSON object.");
        }
        catch (JsonException e)
        {
            return ("not-json", $"The body is not JSON: {e.Message}");
        }
        return ("exception", exception.Message);
    }

    public const string QuarantineIdHeader = "hub-quarantine-id";

    public static async Task MoveAsync(ReceiveContext context, string suffix, Exception? exception, (string Code, string Message)? reason, DateTime at,
        Guid? quarantineId)
    {
        if (!context.TryGetPayload(out ChannelContext? channel) || !context.TryGetPayload(out RabbitMqBasicConsumeContext? amqp))
            throw new InvalidOperationException("Agency messages are only moved on RabbitMQ.", exception);

        var error = context.InputAddress.AbsolutePath.Trim('/').Split('/').Last() + suffix;
        if (!Declared.ContainsKey(error))
        {
            await channel.ExchangeDeclare(error, ExchangeType.Fanout, durable: true, autoDelete: false, new Dictionary<string, object>(), context.CancellationToken);
            await channel.QueueDeclare(error, durable: true, exclusive: false, autoDelete: false, new Dictionary<string, object>(), context.CancellationToken);
            await channel.QueueBind(error, error, "", new Dictionary<string, object>(), context.CancellationToken);
            Declared[error] = true;
        }

        var properties = new BasicProperties(amqp.Properties) { UserId = null };
        var headers = properties.Headers is null ? new Dictionary<string, object?>() : new Dictionary<string, object?>(properties.Headers);
        headers["MT-Reason"] = exception is null ? "skip" : "fault";
        var code = "skipped";
        if (exception is not null)
        {
            (code, var message) = reason ?? ReasonFor(exception, context.GetBody());
            headers["MT-Fault-Message"] = message;
            headers["MT-Fault-ExceptionType"] = exception.GetType().FullName;
            headers["MT-Fault-Timestamp"] = at.ToString("O");
        }
        headers["hub-reason"] = code;
        headers["hub-sender"] = amqp.Properties.UserId;
        if (quarantineId is { } id) headers[QuarantineIdHeader] = id.ToString();
        properties.Headers = headers;
        properties.Expiration = null;

        await channel.BasicPublishAsync(error, "", mandatory: true, properties, context.GetBody(), awaitAck: true, context.CancellationToken);
        context.GetOrAddPayload(() => new Moved(error, code));
    }
}
