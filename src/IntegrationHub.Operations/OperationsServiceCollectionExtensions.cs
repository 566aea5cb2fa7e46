using IntegrationHub.Operations.Agencies;
using IntegrationHub.Operations.Audit;
using IntegrationHub.Operations.Content;
using IntegrationHub.Operations.Deadlines;
using IntegrationHub.Operations.Failures;
using IntegrationHub.Operations.Flow;
using IntegrationHub.Operations.Lifecycle;
using IntegrationHub.Operations.Pages;
using IntegrationHub.Operations.Queues;
using IntegrationHub.Operations.Retention;
using IntegrationHub.Operations.Security;
using IntegrationHub.Operations.Telemetry;
using IntegrationHub.Routing.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Operations;

public static class OperationsServiceCollectionExtensions
{
    /// <summary>The operations console and API: identities and roles, queries, failure actions, audit sealing, retention, gauges.</summary>
    public static IServiceCollection AddHubOperations(this IServiceCollection services)
    {
        services.AddOptions<OperatorOptions>().BindConfiguration(OperatorOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.TrustedProxy.Roles.Values.All(OperatorRoles.All.Contains),
                $"Hub:Operations:TrustedProxy:Roles values must be {string.Join(", ", OperatorRoles.All)}.")
            .Validate(o => !o.TrustedProxy.Enabled || (o.TrustedProxy.KnownProxies.Count > 0 && o.TrustedProxy.KnownProxies.All(p => System.Net.IPAddress.TryParse(p, out _))),
                "Hub:Operations:TrustedProxy:KnownProxies must list the proxy's IP addresses when TrustedProxy is enabled.")
            .ValidateOnStart();
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.SectionName)
            .Validate(o => o.SealInterval > TimeSpan.Zero, "Hub:Audit:SealInterval must be positive.").ValidateOnStart();
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.SectionName)
            .Validate(o => o.Default > TimeSpan.Zero && o.Kinds.Values.All(v => v > TimeSpan.Zero), "Hub:Retention periods must be positive.").ValidateOnStart();
        services.AddSingleton<OperatorDirectory>();
        services.AddHostedService<OperatorStartup>();
        services.AddOperationsAuthentication();
        // SameAsRequest as the session cookie: the default (None) never marks it Secure, even over HTTPS.
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "hub.console.af";
            o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
        });
        services.AddHubHttps();
        services.AddHttpClient();
        // The management API is checked as the broker is over AMQPS: its private CA, the name on its certificate.
        services.AddHttpClient(QueueQueries.ManagementClient).ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = RabbitMqTls.ManagementValidatorFor(sp.GetRequiredService<IOptions<MessagingOptions>>().Value.RabbitMq) },
        });

        services.AddSingleton<FlowQueries>();
        services.AddSingleton<QueueQueries>();
        services.AddSingleton<FailureQueries>();
        services.AddSingleton<FailureActions>();
        services.AddSingleton<RabbitMqErrorQueue>();
        services.AddSingleton<LifecycleQueries>();
        services.AddSingleton<AgencyKeys>();
        services.AddSingleton<DeadlineQueries>();
        services.AddSingleton<InsightQueries>();
        services.AddSingleton<AuditQueries>();
        services.AddSingleton<ContentOpening>();
        services.AddSingleton<RetentionPurger>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionPurger>());
        services.AddHostedService<AuditSealer>();
        services.AddHostedService<OperationsGauges>();
        return services;
    }

    /// <summary>The console's static assets (GOV.UK Frontend, vendored), its pages under /operations and its API under /api/v1/operations.</summary>
    public static WebApplication MapHubOperations(this WebApplication app)
    {
        app.UseHubHttps();
        app.UseHubSecurityHeaders();
        app.UseStaticFiles();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapConsolePages();
        app.MapOperationsApi();
        return app;
    }
}
