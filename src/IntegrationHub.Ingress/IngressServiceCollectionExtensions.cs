using IntegrationHub.Ingress.Amqp;
using IntegrationHub.Ingress.Decisions;
using IntegrationHub.Ingress.Fhir;
using IntegrationHub.Ingress.Inbound;
using IntegrationHub.Ingress.MissingEpisodes;
using IntegrationHub.Ingress.Patterns;
using IntegrationHub.Ingress.Quarantine;
using IntegrationHub.Ingress.Referrals;
using IntegrationHub.Ingress.Security;
using IntegrationHub.Ingress.Sharing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Ingress;

public static class IngressServiceCollectionExtensions
{
    public static IServiceCollection AddHubIngress(this IServiceCollection services)
    {
        services.AddOptions<IngressOptions>().BindConfiguration(IngressOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.SectionName)
            .Validate(o => o.KeyRotationGrace >= TimeSpan.Zero && o.IssuedKeyRefresh > TimeSpan.Zero,
                "Hub:Security:KeyRotationGrace must not be negative and Hub:Security:IssuedKeyRefresh must be positive.").ValidateOnStart();
        services.AddSingleton<ApiKeyRegistry>();
        services.AddSingleton<IssuedKeys>();
        services.AddHostedService<IssuedKeyRefresher>();
        services.AddSingleton<ClientCertificateRegistry>();
        services.AddSingleton<QuarantineStore>();
        services.AddSingleton<QuarantineReplayer>();
        services.AddSingleton<LaterCopies>();
        services.AddSingleton<AgencyErrorQueues>();
        services.AddSingleton<ReceiptStore>();
        services.AddScoped<ConcernIntake>();
        services.AddScoped<IInboundIntake>(sp => sp.GetRequiredService<ConcernIntake>());
        services.AddScoped<InboundDispatcher>();
        services.AddScoped<IInboundIntake, LifecycleInboundIntake<IntegrationHub.Contracts.MissingEpisodes.ChildReportedMissing>>();
        services.AddScoped<IInboundIntake, LifecycleInboundIntake<IntegrationHub.Contracts.MissingEpisodes.ChildFound>>();
        services.AddScoped<IInboundIntake, LifecycleInboundIntake<IntegrationHub.Contracts.ReturnInterviews.ReturnInterviewCompleted>>();
        services.AddSingleton(sp =>
        {
            var kinds = new IntegrationHub.Adapters.Inbound.InboundKinds(sp.GetRequiredService<IntegrationHub.Adapters.Health.HealthFhirAdapter>());
            foreach (var kind in LifecycleInboundKinds.All()) kinds.Add(kind);
            return kinds;
        });
        services.AddSingleton(sp => new IntegrationHub.Adapters.Health.HealthFhirAdapter(sp.GetRequiredService<TimeProvider>()));
        services.AddProblemDetails();
        services.AddExceptionHandler<IntegrationHub.Ingress.Problems.StoreOutageHandler>();
        return services;
    }

    public static IEndpointRouteBuilder MapHubIngress(this IEndpointRouteBuilder app)
    {
        app.MapConcernEndpoints();
        app.MapDecisionEndpoints();
        app.MapQuarantineEndpoints();
        app.MapDecisionNotToShareEndpoints();
        app.MapFhirEndpoints();
        app.MapInboundEndpoints();
        app.MapMissingEpisodeEndpoints();
        app.MapPatternEndpoints();
        return app;
    }
}
