using System.Collections.Concurrent;
using System.Text.Json;
using IntegrationHub.Routing;
using MassTransit;
using MassTransit.RabbitMqTransport;
using RabbitMQ.Client;

namespace IntegrationHub.Ingress.Amqp;

/// <summary>
/// Moves a message that failed on an agency's inbound queue to <c>&lt;queue&gt;_error</c>, whole, with the reason in
/// headers. MassTransit's own error transport copies every AMQP property, <c>user_id</c> included, and the broker
/// refuses a <c>user_id</c> that is not the publishing connection's own (the hub's): the message would then loop back
/// onto the inbound queue forever. Here the sender is kept in <c>hub-sender</c> and <c>user_id</c> is cleared.
/// </summary>
/// <remarks>
/// A body that is not a JSON object fails in MassTransit's deserializer, before the consumer could refuse (and count)
/// it: it is counted here, with the reason <c>not-json</c>.
/// </remarks>
public sealed class AgencyErrorFilter(HubMetrics metrics) : IFilter<ExceptionReceiveContext>
{
    public async Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        await AgencyMove.MoveAsync(context, "_error", context.Exception, context.ExceptionTimestamp);
        if (context.Exception is not InboundRefusedException && context.TryGetPayload<AgencyMove.Moved>(out var moved))
            metrics.Refused("amqp", moved.Reason);
        await next.Send(context);
    }

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
            await AgencyMove.MoveAsync(context, "_skipped", exception: null, DateTime.UtcNow);
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

    public static async Task MoveAsync(ReceiveContext context, string suffix, Exception? exception, DateTime at)
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
        var reason = "skipped";
        if (exception is not null)
        {
            (reason, var message) = ReasonFor(exception, context.GetBody());
            headers["MT-Fault-Message"] = message;
            headers["MT-Fault-ExceptionType"] = exception.GetType().FullName;
            headers["MT-Fault-Timestamp"] = at.ToString("O");
        }
        headers["hub-reason"] = reason;
        headers["hub-sender"] = amqp.Properties.UserId;
        properties.Headers = headers;
        properties.Expiration = null;

        await channel.BasicPublishAsync(error, "", mandatory: true, properties, context.GetBody(), awaitAck: true, context.CancellationToken);
        context.GetOrAddPayload(() => new Moved(error, reason));
    }
}
