using IntegrationHub.Contracts.Common;
using IntegrationHub.Ingress.Inbound;
using IntegrationHub.Ingress.Quarantine;
using IntegrationHub.Routing;
using IntegrationHub.Routing.Messaging;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Ingress.Amqp;

/// <summary>Marker for a plain JSON message on an agency's inbound queue; the consumer reads the raw body itself.</summary>
public sealed record AgencyInbound;

/// <summary>Thrown for a message that will never be accepted: no retry, straight to the agency's error queue with the reason.</summary>
public sealed class InboundRefusedException(string reasonCode, string message) : Exception(message)
{
    public string ReasonCode { get; } = reasonCode;
}

/// <summary>
/// Reads <c>agency.&lt;agency&gt;.inbound</c>: plain JSON from any AMQP 0-9-1 client, the kind in the <c>type</c> property,
/// the agency from the broker-validated <c>user_id</c> (never from the body). The message is decided and its deliveries
/// sent before it is acknowledged. A message that cannot be accepted goes to <c>agency.&lt;agency&gt;.inbound_error</c>
/// with the reason in the <c>MT-Fault-Message</c> header.
/// </summary>
public sealed class AgencyInboundConsumer(InboundDispatcher dispatcher, HubMetrics metrics, ILogger<AgencyInboundConsumer> logger)
    : IConsumer<AgencyInbound>
{
    public const string UserPrefix = "agency-";

    public static string QueueFor(Agency agency) => $"agency.{agency.ToString().ToLowerInvariant()}.inbound";

    public async Task Consume(ConsumeContext<AgencyInbound> context)
    {
        if (!context.ReceiveContext.TryGetPayload<RabbitMqBasicConsumeContext>(out var amqp))
            throw Refuse("not-amqp", "Only AMQP messages are read here.");
        var properties = amqp.Properties;
        var queueAgency = AgencyOfQueue(context.ReceiveContext.InputAddress.AbsolutePath);
        var agency = AgencyOfUser(properties.UserId)
            ?? throw Refuse("no-user-id", $"Publish with the user_id property set to your broker user (e.g. {UserPrefix}{queueAgency?.ToString().ToLowerInvariant()}), so the broker vouches for the sender.");
        if (agency != queueAgency)
            throw Refuse("wrong-queue", $"user {properties.UserId} may not publish to {context.ReceiveContext.InputAddress.AbsolutePath.Trim('/')}.");

        var body = context.ReceiveContext.Body.GetBytes();
        // The body's fingerprint once: the key when the sender gave no message_id, and what a resend under the key is compared by.
        var fingerprint = ReusedKeys.Fingerprint(body);
        var key = IdempotencyKeyOf(properties.MessageId, fingerprint);
        var outcome = await dispatcher.DispatchAsync(agency, properties.Type, body, new InboundChannel("amqp", key, context, fingerprint), context.CancellationToken);
        if (!outcome.Accepted)
            throw Refuse(outcome.ReasonCode!, $"{outcome.Title}: " + string.Join("; ", outcome.Errors.Select(e => $"{e.Field}: {e.Message}")));
        logger.LogInformation("AMQP {Kind} from {Agency} accepted as {TrackingId}", properties.Type, agency, outcome.TrackingId);
    }

    /// <summary>The sender's <c>message_id</c>, or the body's SHA-256 (<paramref name="fingerprint"/>, <see cref="ReusedKeys.Fingerprint"/>)
    /// when it gave none: what makes a redelivery the same message.</summary>
    internal static string IdempotencyKeyOf(string? messageId, byte[] fingerprint) =>
        string.IsNullOrWhiteSpace(messageId) ? "sha256:" + Convert.ToHexStringLower(fingerprint) : messageId;

    private InboundRefusedException Refuse(string reasonCode, string message)
    {
        metrics.Refused("amqp", reasonCode);
        logger.LogWarning("AMQP message refused: {ReasonCode}; moved to the agency's error queue", reasonCode);
        return new InboundRefusedException(reasonCode, message);
    }

    /// <summary>The agency of a broker user named <c>agency-&lt;agency&gt;</c>; the broker checks <c>user_id</c> is the publisher's own.</summary>
    internal static Agency? AgencyOfUser(string? userId) =>
        userId is not null && userId.StartsWith(UserPrefix, StringComparison.Ordinal)
        && Enum.TryParse<Agency>(userId[UserPrefix.Length..], ignoreCase: true, out var agency)
        && !int.TryParse(userId[UserPrefix.Length..], out _)
            ? agency : null;

    internal static Agency? AgencyOfQueue(string queue)
    {
        var name = queue.Trim('/').Split('/').Last();
        return Enum.GetValues<Agency>().Cast<Agency?>().FirstOrDefault(a => QueueFor(a!.Value) == name);
    }
}

/// <summary>The agencies' inbound endpoints, on RabbitMQ only: durable quorum queues behind fanout exchanges of the same name.</summary>
public static class AgencyInboundEndpoints
{
    public static void Configure(IBusRegistrationContext context, IRabbitMqBusFactoryConfigurator cfg)
    {
        var options = context.GetRequiredService<IOptions<MessagingOptions>>().Value;
        foreach (var agency in Enum.GetValues<Agency>())
        {
            cfg.ReceiveEndpoint(AgencyInboundConsumer.QueueFor(agency), e =>
            {
                e.ConfigureConsumeTopology = false;
                e.SetQuorumQueue();
                e.PrefetchCount = options.PrefetchCount;
                e.ConcurrentMessageLimit = options.ConcurrentMessageLimit;
                e.ClearSerialization();
                e.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: true);
                // Not CopyHeaders or AddTransportHeaders: the agency's user_id must never travel on what the hub sends.
                e.UseRawJsonSerializer(RawSerializerOptions.AnyMessageType);
                // A database outage is waited out, the message held unacknowledged (decision 0015); a refusal is final.
                e.UseHubRetry(options, AgencyInboundConsumer.QueueFor(agency), context.GetRequiredService<ILoggerFactory>(),
                    TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), r => r.Ignore<InboundRefusedException>());
                e.ConfigureError(error => error.UseFilter(new AgencyErrorFilter(context.GetRequiredService<HubMetrics>(),
                    context.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<IntegrationHub.Persistence.HubDbContext>>(),
                    context.GetRequiredService<QuarantineStore>(), context.GetRequiredService<IOptions<IngressOptions>>().Value.QuarantineKeepBytes,
                    context.GetRequiredService<ILogger<AgencyErrorFilter>>())));
                e.ConfigureDeadLetter(dead => dead.UseFilter(new AgencyDeadLetterFilter()));
                e.PublishFaults = false;
                e.ConfigureConsumer<AgencyInboundConsumer>(context);
            });
        }
    }
}
