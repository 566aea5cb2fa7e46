using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Sharing;
using IntegrationHub.Routing.Messaging;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Routing.Sharing.Webhooks;

/// <summary>
/// Any message on a recipient's queue, whatever its kind: the webhook consumer reads only the transport's headers and
/// forwards the body as it arrived, so nothing needs to be deserialized.
/// </summary>
public sealed record RecipientMessage;

/// <summary>
/// Takes every message off a recipient's queue (a <c>ConcernShared</c>, or a lifecycle message: a return interview
/// requested or shared, a deadline overdue, a pattern of concern…) and hands it to the recipient's web API, body as
/// sent (docs/decisions/0010), its kind in <c>X-Hub-Message-Kind</c>.
/// </summary>
public sealed class WebhookConsumer(WebhookDeliveries deliveries) : IConsumer<RecipientMessage>
{
    public Task Consume(ConsumeContext<RecipientMessage> context)
    {
        // The queue it came from says whose it is: each webhook endpoint reads one recipient's queue.
        var recipient = RecipientQueues.RecipientOf(context.ReceiveContext.InputAddress)
            ?? throw new InvalidOperationException($"No recipient for a message on {context.ReceiveContext.InputAddress}.");
        var kind = context.Headers.Get<string>(DeliverySender.MessageKindHeader) ?? nameof(ConcernShared);
        return deliveries.For(recipient).DeliverAsync(
            context.ReceiveContext.Body.GetBytes(), kind, context.MessageId, context.CorrelationId, context.CancellationToken);
    }
}

/// <summary>The configured webhooks, one per recipient that has one.</summary>
public sealed class WebhookDeliveries
{
    private readonly Dictionary<Recipient, WebhookDelivery> _byRecipient;

    public WebhookDeliveries(IConfiguration configuration, IHttpClientFactory http, ILoggerFactory loggers, TimeProvider time)
    {
        _byRecipient = Configured(configuration).ToDictionary(
            c => c.Recipient,
            c => new WebhookDelivery(http.CreateClient($"webhook-{c.Recipient}"), c.Recipient, c.Options,
                loggers.CreateLogger<WebhookDelivery>(), time));
    }

    public WebhookDelivery For(Recipient recipient) =>
        _byRecipient.TryGetValue(recipient, out var delivery)
            ? delivery
            : throw new InvalidOperationException($"No webhook is configured for {recipient}.");

    /// <summary>Recipients with <c>Hub:Recipients:&lt;Recipient&gt;:Webhook:Url</c> set.</summary>
    public static IReadOnlyList<(Recipient Recipient, WebhookOptions Options)> Configured(IConfiguration configuration) =>
        Enum.GetValues<Recipient>()
            .Select(r => (Recipient: r, Options: configuration.GetSection($"Hub:Recipients:{r}:Webhook").Get<WebhookOptions>()))
            .Where(x => x.Options?.Url is not null)
            .Select(x => (x.Recipient, x.Options!))
            .ToList();

    /// <summary>
    /// A receive endpoint on each webhook recipient's queue: raw JSON in. Polly retries each POST; while the recipient's
    /// API is down (<see cref="WebhookDelivery.IsRecipientOutage"/>) the delivery is then held on the queue and tried
    /// again until the API takes it, as a database outage is waited out (decision 0015). A delivery the API refuses for
    /// its content (any other 4xx) goes to the error queue at once.
    /// </summary>
    public static void ConfigureEndpoints(IBusRegistrationContext context, IBusFactoryConfigurator cfg, IConfiguration configuration)
    {
        var messaging = context.GetRequiredService<Microsoft.Extensions.Options.IOptions<MessagingOptions>>().Value;
        var loggers = context.GetRequiredService<ILoggerFactory>();
        foreach (var (recipient, _) in Configured(configuration))
        {
            var queue = RecipientQueues.For(recipient);
            cfg.ReceiveEndpoint(queue, e =>
            {
                e.ConfigureConsumeTopology = false;
                if (e is IRabbitMqReceiveEndpointConfigurator rabbit) rabbit.SetQuorumQueue();
                e.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: true);
                e.ConcurrentMessageLimit = 8;
                e.UseHoldDuring(WebhookDelivery.IsRecipientOutage, $"The {recipient} web API is not taking deliveries", messaging.OutageRetryInterval, queue, loggers);
                e.ConfigureConsumer<WebhookConsumer>(context);
            });
        }
    }
}
