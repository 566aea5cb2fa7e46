using IntegrationHub.Routing;
using MassTransit.Logging;
using MassTransit.Monitoring;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace IntegrationHub.Host;

/// <summary>
/// OpenTelemetry traces and metrics for the hub, MassTransit and ASP.NET Core. Exported over OTLP only when
/// OTEL_EXPORTER_OTLP_ENDPOINT is set. Spans and tags carry ids, never personal data: the ASP.NET Core
/// instrumentation records routes, not query strings or bodies.
/// </summary>
public static class HubTelemetry
{
    public static WebApplicationBuilder AddHubTelemetry(this WebApplicationBuilder builder)
    {
        builder.Logging.AddOpenTelemetry(o =>
        {
            o.IncludeFormattedMessage = true;
            o.IncludeScopes = false;
        });
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("integrationhub"))
            .WithTracing(t => t
                .AddSource(HubMetrics.ActivitySourceName)
                .AddSource(DiagnosticHeaders.DefaultListenerName)
                .AddAspNetCoreInstrumentation(o =>
                {
                    o.RecordException = true;
                    o.Filter = http => !http.Request.Path.StartsWithSegments("/health") && !http.Request.Path.StartsWithSegments("/alive");
                }))
            .WithMetrics(m => m
                .AddMeter(HubMetrics.MeterName)
                .AddMeter(InstrumentationOptions.MeterName)
                .AddAspNetCoreInstrumentation());
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.UseOtlpExporter();
        }
        return builder;
    }
}
