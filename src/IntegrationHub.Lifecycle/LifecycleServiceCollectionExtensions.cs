using IntegrationHub.Lifecycle.Deadlines;
using IntegrationHub.Lifecycle.Intake;
using IntegrationHub.Lifecycle.MissingEpisodes;
using IntegrationHub.Lifecycle.Patterns;
using IntegrationHub.Protocol;
using IntegrationHub.Protocol.MissingEpisodes;
using IntegrationHub.Routing.Referrals;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Lifecycle;

public static class LifecycleServiceCollectionExtensions
{
    /// <summary>Missing episodes, return interviews, the deadline sweeper, the MARP review list and the pattern index.</summary>
    public static IServiceCollection AddHubLifecycle(this IServiceCollection services)
    {
        services.AddOptions<LifecycleOptions>().BindConfiguration(LifecycleOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.SweepInterval > TimeSpan.Zero && o.EscalationGrace >= TimeSpan.Zero, "Hub:Lifecycle:SweepInterval must be positive and EscalationGrace not negative.")
            .ValidateOnStart();
        services.AddSingleton(sp => new MissingEpisodeProtocol(sp.GetRequiredService<IOptions<ProtocolOptions>>().Value));
        services.AddSingleton<Outbox>();
        services.AddSingleton<PatternIndex>();
        services.AddSingleton<IDecisionIndex, ConcernPatterns>();
        services.AddSingleton<MissingEpisodeService>();
        services.AddScoped<LifecycleIntake>();
        services.AddSingleton<DeadlineSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<DeadlineSweeper>());
        return services;
    }

    /// <summary>The lifecycle's consumers, for <c>AddHubRouting(configuration, bus => bus.AddLifecycleConsumers())</c>.</summary>
    public static void AddLifecycleConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ChildReportedMissingConsumer, ChildReportedMissingConsumerDefinition>();
        bus.AddConsumer<ChildFoundConsumer, ChildFoundConsumerDefinition>();
        bus.AddConsumer<ReturnInterviewCompletedConsumer, ReturnInterviewCompletedConsumerDefinition>();
    }
}
