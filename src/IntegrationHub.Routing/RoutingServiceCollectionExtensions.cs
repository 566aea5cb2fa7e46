using System.Net.Mime;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Sharing;
using IntegrationHub.Protocol;
using IntegrationHub.Routing.Failures;
using IntegrationHub.Routing.Messaging;
using IntegrationHub.Routing.Recovery;
using IntegrationHub.Routing.Referrals;
using IntegrationHub.Routing.Sharing;
using IntegrationHub.Routing.Sharing.Webhooks;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Routing;

public static class RoutingServiceCollectionExtensions
{
    /// <summary>The protocol, the router and the bus on the configured transport.</summary>
    /// <param name="configureBus">Registers more consumers (e.g. the AMQP agency ingress).</param>
    /// <param name="configureRabbitMq">Adds receive endpoints that exist only on RabbitMQ (e.g. <c>agency.&lt;agency&gt;.inbound</c>).</param>
    public static IServiceCollection AddHubRouting(this IServiceCollection services, IConfiguration configuration,
        Action<IBusRegistrationConfigurator>? configureBus = null,
        Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator>? configureRabbitMq = null)
    {
        // Validated at start, so a misspelt value stops the hub instead of failing every decision.
        services.AddOptions<ProtocolOptions>().BindConfiguration(ProtocolOptions.SectionName)
            .Validate(o => Enum.IsDefined(o.BankHolidayRules), "Protocol:BankHolidayRules must be EnglandAndWales or None.")
            .Validate(o => IsKnownTimeZone(o.TimeZone), "Protocol:TimeZone is not a time zone this system knows: give an IANA id such as Europe/London.")
            .ValidateOnStart();
        services.AddSingleton(sp => new SharingProtocol(sp.GetRequiredService<IOptions<ProtocolOptions>>().Value));
        services.AddOptions<MessagingOptions>().BindConfiguration(MessagingOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => string.IsNullOrWhiteSpace(o.RabbitMq.TlsCaCertificatePath) || File.Exists(o.RabbitMq.TlsCaCertificatePath),
                "Hub:RabbitMq:TlsCaCertificatePath names a file that does not exist.")
            .Validate(o => o.OutageRetryInterval >= TimeSpan.FromSeconds(1) && o.OutageRetryInterval <= TimeSpan.FromHours(1),
                "Hub:OutageRetryInterval must be between 00:00:01 and 01:00:00.")
            .ValidateOnStart();
        services.AddOptions<RecoveryOptions>().BindConfiguration(RecoveryOptions.SectionName);
        services.AddSingleton<HubMetrics>();
        services.AddSingleton<GroupCommits>();
        services.AddOptions<TestingOptions>().BindConfiguration(TestingOptions.SectionName);
        services.AddSingleton<RoutingFaultSwitch>();
        services.AddSingleton<ChildKeys>();
        services.AddSingleton<DeliverySender>();
        services.AddSingleton<DecisionStore>();
        services.AddSingleton<ConcernRouter>();
        services.AddHttpClient();
        services.AddSingleton<WebhookDeliveries>();
        services.AddSingleton<StalledWorkSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<StalledWorkSweeper>());
        services.TryAddTimeProvider();

        // The host accepts nothing until the bus and its topology are up: a concern published to an exchange before
        // the router's queue is bound to it would be dropped by the broker as unroutable.
        services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = true;
            o.StartTimeout = TimeSpan.FromSeconds(60);
            o.StopTimeout = TimeSpan.FromSeconds(30);
            // A message held for a database outage (HubRetry) is let go 10 s into a stop, back to its queue, so that the
            // hub does not wait out an outage before it can stop.
            o.ConsumerStopTimeout = TimeSpan.FromSeconds(10);
        });

        var messaging = configuration.GetSection(MessagingOptions.SectionName).Get<MessagingOptions>() ?? new MessagingOptions();
        services.AddMassTransit(bus =>
        {
            bus.AddConsumer<RouteConcernConsumer, RouteConcernConsumerDefinition>();
            bus.AddConsumer<WebhookConsumer>().ExcludeFromConfigureEndpoints();
            configureBus?.Invoke(bus);
            bus.AddConsumer<RecordRoutingFailureConsumer>();
            if (messaging.Transport == TransportKind.RabbitMq)
            {
                bus.UsingRabbitMq((context, cfg) =>
                {
                    var rabbit = context.GetRequiredService<IOptions<MessagingOptions>>().Value.RabbitMq;
                    cfg.Host(rabbit.Host, (ushort)rabbit.Port, rabbit.VirtualHost, "integrationhub", h =>
                    {
                        h.Username(rabbit.Username);
                        h.Password(rabbit.Password);
                        if (rabbit.UseTls)
                        {
                            h.UseSsl(s =>
                            {
                                s.ServerName = rabbit.TlsServerName ?? rabbit.Host;
                                if (RabbitMqTls.ValidatorFor(rabbit) is { } validator) s.CertificateValidationCallback = validator;
                            });
                        }
                    });
                    ConfigureSerialization(cfg);
                    configureRabbitMq?.Invoke(context, cfg);
                    WebhookDeliveries.ConfigureEndpoints(context, cfg, configuration);
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                bus.UsingInMemory((context, cfg) =>
                {
                    ConfigureSerialization(cfg);
                    WebhookDeliveries.ConfigureEndpoints(context, cfg, configuration);
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
        cfg.Send<RecordOpened>(s => s.UseSerializer(new ContentType("application/json")));
        cfg.Send<Contracts.MissingEpisodes.ChildMissingShared>(s => s.UseSerializer(new ContentType("application/json")));
        cfg.Send<Contracts.MissingEpisodes.ReturnInterviewRequested>(s => s.UseSerializer(new ContentType("application/json")));
        cfg.Send<Contracts.ReturnInterviews.ReturnInterviewShared>(s => s.UseSerializer(new ContentType("application/json")));
        cfg.Send<Contracts.MissingEpisodes.ChildAddedToMarpReviewList>(s => s.UseSerializer(new ContentType("application/json")));
        cfg.Send<Contracts.Deadlines.DeadlineOverdue>(s => s.UseSerializer(new ContentType("application/json")));
        cfg.Send<Contracts.Patterns.PatternOfConcernDetected>(s => s.UseSerializer(new ContentType("application/json")));
        cfg.Send<Contracts.Patterns.PatternOfConcernUpdated>(s => s.UseSerializer(new ContentType("application/json")));
    }

    private static bool IsKnownTimeZone(string? timeZone)
    {
        if (string.IsNullOrWhiteSpace(timeZone)) return false;
        try
        {
            LocalDates.Zone(timeZone);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }
}
