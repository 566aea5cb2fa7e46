using System.Diagnostics;
using IntegrationHub.Routing.Failures;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace IntegrationHub.Tests.Operations;

public sealed class When_telemetry_is_exported : IDisposable
{
    private readonly List<Activity> _spans = [];
    private readonly List<Metric> _metrics = [];
    private readonly List<LogRecord> _logs = [];
    private readonly HubFactory _hub;

    public When_telemetry_is_exported()
    {
        // Traces are recorded only when something reads them: an OTLP endpoint, or this setting.
        _hub = new HubFactory(settings: new Dictionary<string, string?> { ["Hub:Telemetry:Tracing"] = "true" }, services: services =>
        {
            services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(_spans));
            services.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(_metrics));
            services.ConfigureOpenTelemetryLoggerProvider(l => l.AddInMemoryExporter(_logs));
        });
    }

    [Fact]
    public async Task Should_carry_no_name_nhs_number_or_narrative_in_any_span_log_or_metric()
    {
        var police = _hub.ClientFor("police");
        var trackingId = await police.PostConcernAsync(TestConcerns.PoliceConcern(immediateRisk: true));
        await police.WaitForDecisionAsync(trackingId);
        // A failure and a refusal too: exceptions and quarantine reasons are where personal data would leak.
        _hub.Services.GetRequiredService<RoutingFaultSwitch>().Override = true;
        var failed = await police.PostConcernAsync(TestConcerns.PoliceConcern());
        await OperationsClient.EventuallyAsync(() => _hub.ClientFor("operations").GetJsonAsync("/api/v1/operations/failures"),
            f => f.GetProperty("open").GetInt32() == 1, "the forced failure is recorded");
        using (await police.PostAsync("/api/v1/concerns", new StringContent(
                   TestConcerns.PoliceConcern().Replace("\"narrative\"", "\"narative\""), System.Text.Encoding.UTF8, "application/json"))) { }

        _hub.Services.GetRequiredService<TracerProvider>().ForceFlush();
        _hub.Services.GetRequiredService<MeterProvider>().ForceFlush();
        _hub.Services.GetRequiredService<LoggerProvider>().ForceFlush();

        var texts = new List<string>();
        // The exporters keep appending from other threads: read copies (ToArray copies without enumerating).
        foreach (var span in _spans.ToArray())
            {
                texts.Add(span.DisplayName);
                texts.AddRange(span.TagObjects.Select(t => $"{t.Key}={t.Value}"));
                texts.AddRange(span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name} {t.Key}={t.Value}")));
                texts.AddRange(span.Baggage.Select(b => $"{b.Key}={b.Value}"));
            }
        foreach (var log in _logs.ToArray())
            {
                texts.Add($"{log.CategoryName} {log.Body} {log.FormattedMessage} {log.Exception}");
                texts.AddRange(log.Attributes?.Select(a => $"{a.Key}={a.Value}") ?? []);
            }
        foreach (var metric in _metrics.ToArray())
            {
                texts.Add(metric.Name);
                foreach (ref readonly var point in metric.GetMetricPoints())
                    foreach (var tag in point.Tags) texts.Add($"{metric.Name} {tag.Key}={tag.Value}");
            }

        var all = string.Join('\n', texts);
        Assert.Contains(trackingId.ToString(), all); // telemetry does follow the concern, by id
        Assert.Contains(_spans.ToArray(), s => s.Source.Name == "MassTransit");
        Assert.Contains(_metrics.ToArray(), m => m.Name == "hub.messages.received");
        Assert.Contains(_metrics.ToArray(), m => m.Name == "hub.failures");
        Assert.Contains(failed.ToString(), all);
        foreach (var identifier in new[] { TestConcerns.NhsNumber, TestConcerns.ChildGivenName, TestConcerns.ChildFamilyName, "SN1 2AB", "2012-03-04", "unknown adults", "PC Example" })
            Assert.DoesNotContain(identifier, all);
    }

    public void Dispose() => _hub.Dispose();
}
