using IntegrationHub.Tests.Lifecycle;

namespace IntegrationHub.Tests.Webhooks;

/// <summary>A MASH case-management system with a web API and no AMQP: the hub POSTs each delivery, retrying through Polly.</summary>
public sealed class When_a_recipient_takes_deliveries_over_HTTP
{
    private static Dictionary<string, string?> WebhookFor(Uri url, int retries = 6) => new()
    {
        ["Hub:Recipients:Mash:Webhook:Url"] = url.ToString(),
        ["Hub:Recipients:Mash:Webhook:MaxRetries"] = retries.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Hub:Recipients:Mash:Webhook:BaseDelay"] = "00:00:00.050",
        ["Hub:Recipients:Mash:Webhook:AttemptTimeout"] = "00:00:05",
    };

    [Fact]
    public async Task Should_deliver_once_the_recipient_recovers_from_failures()
    {
        await using var api = await StubRecipientApi.StartAsync(failFirst: 3);
        using var hub = new HubFactory(WebhookFor(api.Url));

        var trackingId = await hub.ClientFor("police").PostConcernAsync(TestConcerns.PoliceConcern());

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (api.Received.IsEmpty && DateTime.UtcNow < deadline) await Task.Delay(50);
        var (deliveryIdHeader, body) = Assert.Single(api.Received);
        Assert.Equal(trackingId, body.GetProperty("trackingId").GetGuid());
        Assert.Equal("Mash", body.GetProperty("recipient").GetString());
        Assert.Equal(body.GetProperty("deliveryId").GetGuid().ToString(), deliveryIdHeader);
        Assert.Equal(4, api.Attempts); // three 503s, then taken
        Assert.Equal("ConcernShared", api.KindsByTrackingId[trackingId.ToString()]);
    }

    [Fact]
    public async Task Should_deliver_the_lifecycle_messages_on_its_queue_too_as_sent()
    {
        await using var api = await StubRecipientApi.StartAsync();
        using var hub = new HubFactory(WebhookFor(api.Url));

        var found = await hub.ClientFor("police").PostLifecycleAsync("/api/v1/found-reports",
            LifecycleMessages.Found("WI-HOOK-1", "LA-HOOK-1", DateTimeOffset.UtcNow.AddHours(-1)));

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (api.Received.IsEmpty && DateTime.UtcNow < deadline) await Task.Delay(50);
        var (deliveryIdHeader, body) = Assert.Single(api.Received);
        Assert.Equal("ReturnInterviewRequested", api.KindsByTrackingId[found.TrackingId.ToString()]);
        Assert.Equal(found.TrackingId, body.GetProperty("trackingId").GetGuid());
        Assert.Equal(body.GetProperty("deliveryId").GetGuid().ToString(), deliveryIdHeader);
        Assert.True(body.TryGetProperty("dueAt", out _));
    }

    [Fact]
    public async Task Should_hold_deliveries_while_the_recipient_is_down_keep_other_recipients_flowing_and_deliver_when_it_is_back()
    {
        await using var api = await StubRecipientApi.StartAsync(failing: true);
        var settings = WebhookFor(api.Url, retries: 2);
        settings["Hub:Recipients:Mash:Webhook:BreakDuration"] = "00:00:01";
        using var hub = new HubFactory(settings);

        var trackingId = await hub.ClientFor("police").PostConcernAsync(TestConcerns.PoliceConcern(immediateRisk: true));

        // The decision and the police delivery are unaffected by MASH's dead API.
        var decision = await hub.ClientFor("police").WaitForDecisionAsync(trackingId);
        Assert.Contains("Police", decision.Recipients());
        // Past the first try and Polly's two retries, and past the circuit opening: the delivery is held and tried
        // again, not given up (before decision 0015 it went to the error queue after 3 attempts, or at once when the
        // circuit was open).
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (api.AttemptsFor(trackingId) < 7 && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.True(api.AttemptsFor(trackingId) >= 7, $"only {api.AttemptsFor(trackingId)} attempts: the delivery was given up while the API was down");
        Assert.Empty(api.Received);

        api.Failing = false;
        deadline = DateTime.UtcNow.AddSeconds(60);
        while (api.Received.IsEmpty && DateTime.UtcNow < deadline) await Task.Delay(50);
        var (_, body) = Assert.Single(api.Received);
        Assert.Equal(trackingId, body.GetProperty("trackingId").GetGuid());
        Assert.Contains(hub.Logs, l => l.Contains("The Mash web API is not taking deliveries", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_not_try_again_a_delivery_the_recipient_refuses_for_its_content()
    {
        await using var api = await StubRecipientApi.StartAsync(failing: true);
        api.FailWith = 422;
        using var hub = new HubFactory(WebhookFor(api.Url, retries: 2));

        var trackingId = await hub.ClientFor("police").PostConcernAsync(TestConcerns.PoliceConcern());

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (api.AttemptsFor(trackingId) < 1 && DateTime.UtcNow < deadline) await Task.Delay(50);
        await Task.Delay(TimeSpan.FromSeconds(3)); // a held delivery would have been tried again by now
        Assert.Equal(1, api.AttemptsFor(trackingId)); // refused for its content: to the error queue, not retried
        Assert.Empty(api.Received);
    }
}
