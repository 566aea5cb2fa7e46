using IntegrationHub.Routing.Failures;
using IntegrationHub.Routing.Messaging;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Routing.Referrals;

/// <summary>
/// The router's endpoint: a durable quorum queue on RabbitMQ, explicit prefetch and concurrency, and retries that
/// hold a message through a database outage, however long, rather than move it to the error queue (decision 0015).
/// </summary>
public sealed class RouteConcernConsumerDefinition : ConsumerDefinition<RouteConcernConsumer>
{
    public const string QueueName = "hub.route-concern";

    private readonly MessagingOptions _options;

    public RouteConcernConsumerDefinition(IOptions<MessagingOptions> options)
    {
        _options = options.Value;
        EndpointName = QueueName;
        ConcurrentMessageLimit = _options.ConcurrentMessageLimit;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<RouteConcernConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = _options.PrefetchCount;
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.SetQuorumQueue();
        }
        // One owner per retry: MassTransit retries message handling (HubRetry, decision 0015). A database outage is
        // waited out however long it lasts; anything else is tried RetryLimit times, then goes to hub.route-concern_error.
        endpointConfigurator.UseHubRetry(_options, QueueName, context.GetRequiredService<ILoggerFactory>(),
            TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), r =>
            {
                r.Ignore<ArgumentException>();
                r.Ignore<SimulatedRoutingFailureException>();
            });
    }
}
