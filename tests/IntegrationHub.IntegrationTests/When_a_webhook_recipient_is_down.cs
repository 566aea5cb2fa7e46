using System.Text;
using System.Text.Json;
using IntegrationHub.Testing;
using IntegrationHub.Tests;
using IntegrationHub.Tests.Lifecycle;
using IntegrationHub.Tests.Webhooks;
using RabbitMQ.Client;

namespace IntegrationHub.IntegrationTests;

[Collection(RealServices.Name)]
[Trait("Category", "Integration")]
public sealed class When_a_webhook_recipient_is_down(RabbitMqFixture rabbit)
{
    [Fact]
    public async Task Should_move_a_delivery_the_recipient_refuses_for_its_content_to_the_error_queue()
    {
        // Other tests leave MASH deliveries on the shared broker; failing those first would open the circuit breaker
        // before this delivery's third attempt.
        try { await rabbit.Node.RabbitMqCtlAsync("purge_queue", "mash.referrals"); } catch (ProcessFailedException) { }
        await using var api = await StubRecipientApi.StartAsync(failing: true);
        api.FailWith = 422; // the content refused: trying again will not change it (a 503 is held instead, decision 0015)
        var settings = RealHub.Settings(rabbit.Node);
        settings["Hub:Recipients:Mash:Webhook:Url"] = api.Url.ToString();
        settings["Hub:Recipients:Mash:Webhook:MaxRetries"] = "2";
        settings["Hub:Recipients:Mash:Webhook:BaseDelay"] = "00:00:00.050";
        using var hub = new HubFactory(settings);

        var trackingId = await hub.ClientFor("police").PostConcernAsync(TestConcerns.PoliceConcern());
        await hub.ClientFor("police").WaitForDecisionAsync(trackingId);

        await using var connection = await new ConnectionFactory { Uri = rabbit.AmqpUri }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        BasicGetResult? kept = null;
        while (kept is null && DateTime.UtcNow < deadline)
        {
            try
            {
                var result = await channel.BasicGetAsync("mash.referrals_error", autoAck: false);
                if (result?.BasicProperties.CorrelationId == trackingId.ToString()) kept = result;
                else if (result is not null) await channel.BasicAckAsync(result.DeliveryTag, false);
                else await Task.Delay(100);
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
                // The error queue appears with the first fault; a failed get closes the channel.
                await channel.DisposeAsync();
                channel = await connection.CreateChannelAsync();
                await Task.Delay(100);
            }
        }

        await channel.DisposeAsync();
        Assert.True(kept is not null, $"nothing in mash.referrals_error; webhook attempts: {api.AttemptsFor(trackingId)}");
        var body = JsonDocument.Parse(Encoding.UTF8.GetString(kept.Body.Span)).RootElement;
        Assert.Equal(trackingId, body.GetProperty("trackingId").GetGuid());
        Assert.Equal(1, api.AttemptsFor(trackingId)); // not tried again: Polly retries only what may pass next time
        var reason = kept.BasicProperties.Headers!["MT-Fault-Message"];
        Assert.Contains("422", reason is byte[] b ? Encoding.UTF8.GetString(b) : reason?.ToString());
    }

    [Fact]
    public async Task Should_forward_a_lifecycle_message_as_sent_with_its_kind_once_the_recipient_is_up()
    {
        await using var api = await StubRecipientApi.StartAsync();
        var settings = RealHub.Settings(rabbit.Node);
        settings["Hub:Recipients:Mash:Webhook:Url"] = api.Url.ToString();
        using var hub = new HubFactory(settings);
        var reference = $"WI-HOOK-{Guid.NewGuid():N}";

        var found = await hub.ClientFor("police").PostLifecycleAsync("/api/v1/found-reports",
            LifecycleMessages.Found(reference, "LA-HOOK-RMQ", DateTimeOffset.UtcNow.AddHours(-1)));

        // The shared broker's mash.referrals may hold other tests' deliveries: find this one among what arrives.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        (string DeliveryIdHeader, JsonElement Body)? taken = null;
        while ((taken = api.Received.FirstOrDefault(r => r.Body.GetProperty("trackingId").GetGuid() == found.TrackingId)) is { Body.ValueKind: JsonValueKind.Undefined }
               && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        Assert.True(taken is { Body.ValueKind: JsonValueKind.Object }, "the ReturnInterviewRequested did not reach the webhook");
        Assert.Equal("ReturnInterviewRequested", api.KindsByTrackingId[found.TrackingId.ToString()]);
        Assert.Equal(reference, taken.Value.Body.GetProperty("policeReference").GetString());
    }
}
