using System.Net.Mime;
using IntegrationHub.Contracts.Sharing;
using IntegrationHub.Protocol;
using IntegrationHub.Routing.Messaging;
using IntegrationHub.Routing.Recovery;
using IntegrationHub.Routing.Referrals;
using IntegrationHub.Routing.Sharing;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Routing;

public static class RoutingServiceCollectionExtensions
{
    /// <summary>The protocol, the router and the bus on the configured transport.</summary>
    /// <param name="consumers">Consumers of other capabilities (e.g. the lifecycle's), on the same bus.</param>
    public static IServiceCollection AddHubRouting(this IServiceCollection services, IConfiguration configuration,
        Action<IBusRegistrationConfigurator>? consumers = null)
    {
        services.AddOptions<ProtocolOptions>().BindConfiguration(ProtocolOptions.SectionName);
        services.AddSingleton(sp => new SharingProtocol(sp.GetRequiredService<IOptions<ProtocolOptions>>().Value));
        services.AddOptions<MessagingOptions>().BindConfiguration(MessagingOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RecoveryOptions>().BindConfiguration(RecoveryOptions.SectionName);
        services.AddSingleton<HubMetrics>();
        services.AddSingleton<ChildKeys>();
        services.AddSingleton<DeliverySender>();
        services.AddSingleton<StalledWorkSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<StalledWorkSweeper>());
        services.TryAddTimeProvider();

        var messaging = configuration.GetSection(MessagingOptions.SectionName).Get<MessagingOptions>() ?? new MessagingOptions();
        services.AddMassTransit(bus =>
        {
            bus.AddConsumer<RouteConcernConsumer, RouteConcernConsumerDefinition>();
            consumers?.Invoke(bus);
            if (messaging.Transport == TransportKind.RabbitMq)
            {
                bus.UsingRabbitMq((context, cfg) =>
                {
                    var rabbit = context.GetRequiredService<IOptions<MessagingOptions>>().Value.RabbitMq;
                    cfg.Host(rabbit.Host, (ushort)rabbit.Port, rabbit.VirtualHost, "integrationhub", h =>
                    {
                        h.Username(rabbit.Username);
                        h.Password(rabbit.Password);
                        if (rabbit.UseTls) h.UseSsl(s => s.ServerName = rabbit.TlsServerName ?? rabbit.Host);
                    });
                    ConfigureSerialization(cfg);
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                bus.UsingInMemory((context, cfg) =>
                {
                    ConfigureSerialization(cfg);
                    cfg.ConfigureEndpoints(context);
                });
            }
        });
        return services;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider))) services.AddSingleton(TimeProvider.System);
    }

    /// <summary>Recipients read plain JSON (docs/wire-format.md); the hub's own messages keep MassTransit's envelope.</summary>
    private static void ConfigureSerialization(IBusFactoryConfigurator cfg)
    {
        cfg.AddRawJsonSerializer(RawSerializerOptions.AnyMessageType | RawSerializerOptions.AddTransportHeaders);
        cfg.Send<ConcernShared>(s => s.UseSerializer(new ContentType("application/json")));
        cfg.Send<DecisionNotToShareRejected>(s => s.UseSerializer(new ContentType("application/json")));
        cfg.Send<Contracts.MissingEpisodes.ChildMissingShared>(s => s.UseSerializer(new ContentType("application/json")));
        cfg.Send<Contracts.MissingEpisodes.ReturnInterviewRequested>(s => s.UseSerializer(new ContentType("application/json")));
        cfg.Send<Contracts.MissingEpisodes.ChildAddedToMarpReviewList>(s => s.UseSerializer(new ContentType("application/json")));
        cfg.Send<Contracts.Deadlines.DeadlineOverdue>(s => s.UseSerializer(new ContentType("application/json")));
        cfg.Send<Contracts.Patterns.PatternOfConcernDetected>(s => s.UseSerializer(new ContentType("application/json")));
        cfg.Send<Contracts.Patterns.PatternOfConcernUpdated>(s => s.UseSerializer(new ContentType("application/json")));
    }
}
