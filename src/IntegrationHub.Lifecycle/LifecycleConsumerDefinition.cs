using IntegrationHub.Routing.Messaging;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Lifecycle;

/// <summary>
/// A lifecycle endpoint: a durable quorum queue on RabbitMQ and the hub's retry (HubRetry: a database outage is waited
/// out, decision 0015), which also resolves two messages
/// about one episode or one pattern key colliding (the loser retries and sees the winner's write).
/// </summary>
public class LifecycleConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer> where TConsumer : class, IConsumer
{
    private readonly MessagingOptions _options;
    private readonly string _queueName;

    public LifecycleConsumerDefinition(IOptions<MessagingOptions> options, string queueName)
    {
        _options = options.Value;
        EndpointName = _queueName = queueName;
        ConcurrentMessageLimit = _options.ConcurrentMessageLimit;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = _options.PrefetchCount;
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit) rabbit.SetQuorumQueue();
        endpointConfigurator.UseHubRetry(_options, _queueName, context.GetRequiredService<ILoggerFactory>(),
            TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), r =>
            {
                r.Ignore<ArgumentException>();
                r.Ignore<IntegrationHub.Routing.Failures.SimulatedRoutingFailureException>();
            });
    }
}

public sealed class ChildReportedMissingConsumerDefinition(IOptions<MessagingOptions> options)
    : LifecycleConsumerDefinition<MissingEpisodes.ChildReportedMissingConsumer>(options, "hub.lifecycle-missing");

public sealed class ChildFoundConsumerDefinition(IOptions<MessagingOptions> options)
    : LifecycleConsumerDefinition<MissingEpisodes.ChildFoundConsumer>(options, "hub.lifecycle-found");

public sealed class ReturnInterviewCompletedConsumerDefinition(IOptions<MessagingOptions> options)
    : LifecycleConsumerDefinition<MissingEpisodes.ReturnInterviewCompletedConsumer>(options, "hub.lifecycle-interview");
