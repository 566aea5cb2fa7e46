using IntegrationHub.Routing.Failures;
using IntegrationHub.Routing.Messaging;
using MassTransit;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Routing.Referrals;

/// <summary>
/// The router's endpoint: a durable quorum queue on RabbitMQ, explicit prefetch and concurrency, and retries that
/// outlast a short database outage (PostgreSQL restarting) before a message is moved to the error queue.
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
        // One owner per retry: MassTransit retries message handling. About a minute in all, so a database restart
        // is waited out rather than dead-lettered; a message that still fails goes to hub.route-concern_error.
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Ignore<ArgumentException>();
            r.Ignore<SimulatedRoutingFailureException>();
            r.Exponential(12, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(500));
        });
    }
}
