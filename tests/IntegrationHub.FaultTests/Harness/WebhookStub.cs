using System.Net;
using IntegrationHub.Testing;

namespace IntegrationHub.FaultTests.Harness;

/// <summary>
/// A recipient's web API on 127.0.0.1: answers 503 while <see cref="Down"/>, otherwise takes each delivery after a short
/// delay (a slow system) and records it by its <c>X-Hub-Delivery-Id</c>.
/// </summary>
public sealed class WebhookStub : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Action<string> _received;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _refused;
    private long _taken;

    public WebhookStub(Action<string> received)
    {
        _received = received;
        Port = FreePort.Get();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public int Port { get; }
    public Uri Url => new($"http://127.0.0.1:{Port}/mash/referrals");
    private volatile bool _down;

    public bool Down { get => _down; set => _down = value; }
    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(20);
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Deliveries taken (200), counting a repeat each time.</summary>
    public long Taken => Interlocked.Read(ref _taken);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            if (Down)
            {
                Interlocked.Increment(ref _refused);
                context.Response.StatusCode = 503;
                return;
            }
            await Task.Delay(Delay);
            if (context.Request.Headers["X-Hub-Delivery-Id"] is { } id) _received(id);
            Interlocked.Increment(ref _taken);
            context.Response.StatusCode = 200;
        }
        finally
        {
            try { context.Response.Close(); } catch (HttpListenerException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        _listener.Close();
        try { await _loop; } catch (Exception) { }
        _stop.Dispose();
    }
}
