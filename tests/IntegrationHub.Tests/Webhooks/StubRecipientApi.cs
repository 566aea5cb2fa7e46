using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Tests.Webhooks;

/// <summary>A recipient's web API on 127.0.0.1: fails while <see cref="Failing"/> is set, then takes deliveries.</summary>
public sealed class StubRecipientApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StubRecipientApi(WebApplication app) => _app = app;

    private volatile bool _failing;
    private int _failuresLeft;
    private int _attempts;

    public bool Failing { get => _failing; set => _failing = value; }

    /// <summary>The status a failing attempt gets: 503 (the API is down) unless a test says otherwise (e.g. 422, the delivery refused).</summary>
    public int FailWith { get; set; } = StatusCodes.Status503ServiceUnavailable;

    public int Attempts => Volatile.Read(ref _attempts);

    public ConcurrentQueue<(string DeliveryIdHeader, JsonElement Body)> Received { get; } = new();

    /// <summary>The <c>X-Hub-Message-Kind</c> of each message taken, by its <c>X-Hub-Tracking-Id</c>.</summary>
    public ConcurrentDictionary<string, string> KindsByTrackingId { get; } = new();

    private readonly ConcurrentDictionary<string, int> _attemptsByTrackingId = new();

    /// <summary>Attempts to deliver the concern with this tracking id (a shared broker may hold other tests' deliveries).</summary>
    public int AttemptsFor(Guid trackingId) => _attemptsByTrackingId.GetValueOrDefault(trackingId.ToString());

    public Uri Url { get; private set; } = null!;

    public static async Task<StubRecipientApi> StartAsync(int failFirst = 0, bool failing = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stub = new StubRecipientApi(app) { _failuresLeft = failFirst, Failing = failing };
        app.MapPost("/deliveries", async (HttpContext http) =>
        {
            Interlocked.Increment(ref stub._attempts);
            stub._attemptsByTrackingId.AddOrUpdate(http.Request.Headers["X-Hub-Tracking-Id"].ToString(), 1, (_, n) => n + 1);
            if (stub.Failing || Interlocked.Decrement(ref stub._failuresLeft) >= 0)
                return Results.StatusCode(stub.FailWith);
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body);
            stub.KindsByTrackingId[http.Request.Headers["X-Hub-Tracking-Id"].ToString()] = http.Request.Headers["X-Hub-Message-Kind"].ToString();
            stub.Received.Enqueue((http.Request.Headers["X-Hub-Delivery-Id"].ToString(), body));
            return Results.NoContent();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First();
        stub.Url = new Uri(address + "/deliveries");
        return stub;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
