using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Contracts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Tests;

/// <summary>
/// The real host in-process on the embedded default (in-memory bus, SQLite in a temp folder), with known test keys.
/// Extra settings switch it to RabbitMQ or PostgreSQL. Every log line is captured so tests can check for personal data.
/// </summary>
public sealed class HubFactory : WebApplicationFactory<Program>
{
    public const string OperationsKey = "test-operations-key";

    private readonly Dictionary<string, string?> _settings;
    private readonly bool _ownsDataDirectory;
    private readonly Action<IServiceCollection>? _services;

    /// <param name="settings">Configuration on top of the test defaults (e.g. <c>Hub:Transport</c>).</param>
    /// <param name="dataDirectory">Shared with another factory to simulate a restart; a temp folder otherwise.</param>
    /// <param name="services">Replaces services, e.g. a <c>FakeTimeProvider</c> as <see cref="TimeProvider"/>.</param>
    public HubFactory(IDictionary<string, string?>? settings = null, string? dataDirectory = null, Action<IServiceCollection>? services = null)
    {
        _services = services;
        _ownsDataDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("ihub-test-").FullName;
        _settings = new Dictionary<string, string?>
        {
            ["Hub:DataDirectory"] = DataDirectory,
            ["Hub:Security:GenerateMissingKeys"] = "false",
            ["Hub:Operations:ApiKey"] = OperationsKey,
            ["Hub:Pseudonymisation:Secret"] = "test-secret",
        };
        foreach (var agency in new[] { "health", "police", "education", "probation", "yot" })
            _settings[$"Hub:Agencies:{agency}:ApiKey"] = KeyFor(agency);
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) _settings[k] = v;
    }

    public string DataDirectory { get; }

    /// <summary>
    /// For a test that moves a <c>FakeTimeProvider</c> on by days: the background loops tick hourly, not every few
    /// seconds. A fake clock fires a periodic timer once for every period it skips, so ten days of the 2-second audit
    /// sealer were 432,000 ticks inside one <c>Advance</c>, minutes of a test's time.
    /// </summary>
    public static Dictionary<string, string?> WithHourlyBackgroundLoops(Dictionary<string, string?> settings)
    {
        foreach (var key in new[] { "Hub:Audit:SealInterval", "Hub:Recovery:Interval", "Hub:Security:IssuedKeyRefresh", "Hub:Lifecycle:SweepInterval" })
            settings.TryAdd(key, "01:00:00");
        return settings;
    }

    public ConcurrentQueue<string> Logs { get; } = new();

    public static string KeyFor(string agency) => $"test-{agency}-key";

    public HttpClient ClientFor(string agencyOrOperations)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", agencyOrOperations == "operations" ? OperationsKey : KeyFor(agencyOrOperations));
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.AddProvider(new CapturingLoggerProvider(Logs)));
        if (_services is not null) builder.ConfigureServices(_services);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // Stop the bus first and wait for it: a host torn down around a running bus leaves consumers on a shared
            // broker that take the next test's messages and never finish them.
            try
            {
                var bus = Services.GetService<MassTransit.IBusControl>();
                bus?.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token).GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException or Microsoft.Extensions.Options.OptionsValidationException)
            {
                // Never started (e.g. settings refused at start), or already gone.
            }
        }
        base.Dispose(disposing);
        if (disposing && _ownsDataDirectory)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
        }
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, sink);
        public void Dispose() { }
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            sink.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
        }
    }
}

/// <summary>Helpers for talking to the hub the way an agency would.</summary>
public static class HubClient
{
    public static async Task<Guid> PostConcernAsync(this HttpClient client, string json)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/api/v1/concerns", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"Expected 202, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("trackingId").GetGuid();
    }

    /// <summary>Polls the decision until it is decided, for at most <paramref name="timeout"/>.</summary>
    public static async Task<JsonElement> WaitForDecisionAsync(this HttpClient client, Guid trackingId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await client.GetAsync($"/api/v1/decisions/{trackingId}");
            if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                // Over AMQP the hub knows a message only once it has taken it from the queue.
                await Task.Delay(50);
                continue;
            }
            response.EnsureSuccessStatusCode();
            last = await response.Content.ReadFromJsonAsync<JsonElement>(ContractJson.Options);
            if (last.GetProperty("status").GetString() == "Decided"
                && last.GetProperty("deliveries").EnumerateArray().All(d => d.TryGetProperty("sentAt", out var s) && s.ValueKind != JsonValueKind.Null))
                return last;
            await Task.Delay(50);
        }
        throw new TimeoutException($"Concern {trackingId} was not decided and delivered in time; last seen: {last}");
    }

    public static IEnumerable<string> RuleIds(this JsonElement decision) =>
        decision.GetProperty("rulesFired").EnumerateArray().Select(r => r.GetProperty("ruleId").GetString()!);

    public static IEnumerable<string> Recipients(this JsonElement decision) =>
        decision.GetProperty("recipients").EnumerateArray().Select(r => r.GetProperty("recipient").GetString()!);
}

/// <summary>One embedded hub shared by the tests of a class (<c>IClassFixture&lt;SharedHub&gt;</c>).</summary>
public sealed class SharedHub : IDisposable
{
    public HubFactory Factory { get; } = new();

    public void Dispose() => Factory.Dispose();
}
