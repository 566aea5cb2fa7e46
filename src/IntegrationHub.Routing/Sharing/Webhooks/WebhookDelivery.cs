using System.Net;
using System.Net.Http.Headers;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Sharing;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace IntegrationHub.Routing.Sharing.Webhooks;

/// <summary>
/// POSTs deliveries to one recipient's web API through a Polly pipeline: a timeout per attempt, retries with jittered
/// exponential backoff, and a circuit breaker so a dead recipient is not hammered. Polly is the only retry on this path;
/// when it gives up the exception reaches MassTransit, which moves the delivery to the queue's error queue for replay.
/// </summary>
public sealed class WebhookDelivery
{
    private readonly HttpClient _http;
    private readonly Recipient _recipient;
    private readonly WebhookOptions _options;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public WebhookDelivery(HttpClient http, Recipient recipient, WebhookOptions options, ILogger logger, TimeProvider? time = null)
    {
        _http = http;
        _recipient = recipient;
        _options = options;
        var handle = new PredicateBuilder<HttpResponseMessage>()
            .Handle<HttpRequestException>()
            .Handle<TimeoutRejectedException>()
            .HandleResult(r => IsTransient(r.StatusCode));
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time ?? TimeProvider.System };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = handle,
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                OnRetry = args =>
                {
                    logger.LogWarning("Webhook for {Recipient} failed ({Outcome}); retry {Attempt} in {Delay}",
                        recipient, args.Outcome.Exception?.GetType().Name ?? ((int?)args.Outcome.Result?.StatusCode)?.ToString(), args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            });
        }
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            ShouldHandle = handle,
            FailureRatio = 0.9,
            MinimumThroughput = 5,
            SamplingDuration = TimeSpan.FromSeconds(30),
            BreakDuration = options.BreakDuration,
        });
        builder.AddTimeout(options.AttemptTimeout);
        _pipeline = builder.Build();
    }

    public Recipient Recipient => _recipient;

    /// <summary>
    /// True when the recipient's API, not the delivery, is at fault: it cannot be reached, timed out, its circuit is open,
    /// or it answered 5xx, 408, 429 (busy), 401, 403 (its credentials or access are broken) or 404 (its address is). The
    /// delivery is then held on its queue and tried again until the API takes it (decision 0015). Any other 4xx refuses
    /// this delivery's content, which trying again will not change: it goes to the error queue.
    /// </summary>
    public static bool IsRecipientOutage(Exception exception) => exception switch
    {
        HttpRequestException or TimeoutRejectedException or BrokenCircuitException or IsolatedCircuitException => true,
        WebhookDeliveryException refused => IsTransient(refused.Status)
            || refused.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound,
        _ => false,
    };

    /// <summary>An answer that may be different next time: 5xx, 408, 429. Polly retries these at once.</summary>
    private static bool IsTransient(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    /// <summary>Delivers one message, its body as sent; throws when the recipient did not take it after every retry.</summary>
    public async Task DeliverAsync(byte[] body, string kind, Guid? deliveryId, Guid? trackingId, CancellationToken ct)
    {
        using var response = await _pipeline.ExecuteAsync(async token =>
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, _options.Url) { Content = content };
            if (deliveryId is { } id) request.Headers.Add("X-Hub-Delivery-Id", id.ToString());
            if (trackingId is { } tracking) request.Headers.Add("X-Hub-Tracking-Id", tracking.ToString());
            request.Headers.Add("X-Hub-Message-Kind", kind);
            if (_options.BearerToken is { Length: > 0 } token1) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token1);
            return await _http.SendAsync(request, token);
        }, ct);
        if (!response.IsSuccessStatusCode)
            throw new WebhookDeliveryException(_recipient, response.StatusCode);
    }
}

/// <summary>The recipient's API refused a delivery (after every retry, or with a non-transient status).</summary>
public sealed class WebhookDeliveryException(Recipient recipient, HttpStatusCode status)
    : Exception($"The {recipient} webhook answered {(int)status} {status}.")
{
    public HttpStatusCode Status { get; } = status;
}
