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
    private static readonly ConcurrentDictionary<string, bool> Declared = new();

    public async Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        if (!context.TryGetPayload(out ChannelContext? channel) || !context.TryGetPayload(out RabbitMqBasicConsumeContext? amqp))
            throw new InvalidOperationException("The agency error filter only runs on RabbitMQ.", context.Exception);

        var error = context.InputAddress.AbsolutePath.Trim('/').Split('/').Last() + "_error";
        if (!Declared.ContainsKey(error))
        {
            await channel.ExchangeDeclare(error, ExchangeType.Fanout, durable: true, autoDelete: false, new Dictionary<string, object>(), context.CancellationToken);
            await channel.QueueDeclare(error, durable: true, exclusive: false, autoDelete: false, new Dictionary<string, object>(), context.CancellationToken);
            await channel.QueueBind(error, error, "", new Dictionary<string, object>(), context.CancellationToken);
            Declared[error] = true;
        }

        var properties = new BasicProperties(amqp.Properties) { UserId = null };
        var headers = properties.Headers is null ? new Dictionary<string, object?>() : new Dictionary<string, object?>(properties.Headers);
        headers["MT-Reason"] = "fault";
        headers["MT-Fault-Message"] = context.Exception.Message;
        headers["MT-Fault-ExceptionType"] = context.Exception.GetType().FullName;
        headers["MT-Fault-Timestamp"] = context.ExceptionTimestamp.ToString("O");
        headers["hub-reason"] = context.Exception is InboundRefusedException refused ? refused.ReasonCode : "exception";
        headers["hub-sender"] = amqp.Properties.UserId;
        properties.Headers = headers;
        properties.Expiration = null;

        await channel.BasicPublishAsync(error, "", mandatory: true, properties, context.GetBody(), awaitAck: true, context.CancellationToken);
        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("agency-error");
}
