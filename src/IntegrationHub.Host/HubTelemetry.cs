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
/// <para>
/// Traces are recorded only when something will read them (<c>Hub:Telemetry:Tracing</c>, which defaults to "when an
/// OTLP endpoint is set"): with no listener, MassTransit and ASP.NET Core create no spans at all, and a span per
/// message received and per delivery sent is a measurable cost at thousands of messages a second.
/// </para>
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
        var exporting = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var tracing = builder.Configuration.GetValue<bool?>("Hub:Telemetry:Tracing") ?? exporting;
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("integrationhub"));
        if (tracing)
        {
            otel.WithTracing(t => t
                .AddSource(HubMetrics.ActivitySourceName)
                .AddSource(DiagnosticHeaders.DefaultListenerName)
                .AddAspNetCoreInstrumentation(o =>
                {
                    o.RecordException = true;
                    o.Filter = http => !http.Request.Path.StartsWithSegments("/health") && !http.Request.Path.StartsWithSegments("/alive");
                }));
        }
        otel.WithMetrics(m => m
                .AddMeter(HubMetrics.MeterName)
                .AddMeter(InstrumentationOptions.MeterName)
                .AddAspNetCoreInstrumentation());
        if (exporting)
        {
            otel.UseOtlpExporter();
        }
        return builder;
    }
}
