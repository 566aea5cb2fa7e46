using System.Collections.Concurrent;
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
public sealed class AgencyErrorFilter : IFilter<ExceptionReceiveContext>
{
    public async Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        await AgencyMove.MoveAsync(context, "_error", context.Exception, context.ExceptionTimestamp);
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
        await AgencyMove.MoveAsync(context, "_skipped", exception: null, DateTime.UtcNow);
        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("agency-dead-letter");
}

/// <summary>Moves an agency's message, whole, to a queue beside its inbound queue, clearing <c>user_id</c>.</summary>
internal static class AgencyMove
{
    private static readonly ConcurrentDictionary<string, bool> Declared = new();

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
        if (exception is not null)
        {
            headers["MT-Fault-Message"] = exception.Message;
            headers["MT-Fault-ExceptionType"] = exception.GetType().FullName;
            headers["MT-Fault-Timestamp"] = at.ToString("O");
        }
        headers["hub-reason"] = exception is InboundRefusedException refused ? refused.ReasonCode : exception is null ? "skipped" : "exception";
        headers["hub-sender"] = amqp.Properties.UserId;
        properties.Headers = headers;
        properties.Expiration = null;

        await channel.BasicPublishAsync(error, "", mandatory: true, properties, context.GetBody(), awaitAck: true, context.CancellationToken);
    }
}
