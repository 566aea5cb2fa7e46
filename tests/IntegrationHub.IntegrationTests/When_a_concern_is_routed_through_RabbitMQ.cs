using System.Text;
using System.Text.Json;
using IntegrationHub.Persistence;
using IntegrationHub.Testing;
using IntegrationHub.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace IntegrationHub.IntegrationTests;

[Collection(RealServices.Name)]
[Trait("Category", "Integration")]
public sealed class When_a_concern_is_routed_through_RabbitMQ(RabbitMqFixture rabbit)
{
    [Fact]
    public async Task Should_reach_mash_referrals_for_a_plain_RabbitMQ_client()
    {
        using var hub = new HubFactory(RealHub.Settings(rabbit.Node));
        var police = hub.ClientFor("police");
        var trackingId = await police.PostConcernAsync(TestConcerns.PoliceConcern());
        await police.WaitForDecisionAsync(trackingId);

        var factory = new ConnectionFactory { Uri = rabbit.AmqpUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var delivery = await GetForAsync(channel, "mash.referrals", trackingId);

        Assert.Equal("application/json", delivery.BasicProperties.ContentType);
        Assert.Equal(DeliveryModes.Persistent, delivery.BasicProperties.DeliveryMode);
        var body = JsonDocument.Parse(Encoding.UTF8.GetString(delivery.Body.Span)).RootElement;
        Assert.Equal(trackingId, body.GetProperty("trackingId").GetGuid());
        Assert.Equal("Mash", body.GetProperty("recipient").GetString());
        Assert.Equal(body.GetProperty("deliveryId").GetGuid().ToString(), delivery.BasicProperties.MessageId);
        Assert.Equal(TestConcerns.NhsNumber, body.GetProperty("concern").GetProperty("child").GetProperty("nhsNumber").GetString());
        Assert.Contains(body.GetProperty("rulesFired").EnumerateArray(), r => r.GetProperty("ruleId").GetString() == "POL-01");
        Assert.Equal("Mash", AgencyAmqp.Header(delivery.BasicProperties, "hub-recipient"));
        Assert.Equal("ConcernShared", AgencyAmqp.Header(delivery.BasicProperties, "hub-message-kind"));

        // The body is the payload the decision committed to the outbox, byte for byte, so a resend is the same message.
        var databases = hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>();
        await using var db = await databases.CreateDbContextAsync();
        var stored = await db.Deliveries.SingleAsync(d => d.DeliveryId == Guid.Parse(delivery.BasicProperties.MessageId!));
        Assert.Equal(stored.Payload, Encoding.UTF8.GetString(delivery.Body.Span));
        await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
    }

    [Fact]
    public async Task Should_declare_every_recipient_queue_as_a_durable_quorum_queue()
    {
        using var hub = new HubFactory(RealHub.Settings(rabbit.Node));
        _ = hub.CreateClient(); // starts the host

        var queues = await rabbit.Node.RabbitMqCtlAsync("list_queues", "-q", "--no-table-headers", "name", "type", "durable");

        foreach (var queue in new[] { "mash.referrals", "lado.allegations", "marp.cases", "police.intelligence", "missing.coordinator", "hub.route-concern" })
            Assert.Matches($@"(?m)^{System.Text.RegularExpressions.Regex.Escape(queue)}\s+quorum\s+true\s*$", queues);
    }

    /// <summary>Takes messages off the queue until the one for <paramref name="trackingId"/> turns up (others belong to other tests).</summary>
    internal static async Task<BasicGetResult> GetForAsync(IChannel channel, string queue, Guid trackingId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            var result = await channel.BasicGetAsync(queue, autoAck: false);
            if (result is null)
            {
                await Task.Delay(50);
                continue;
            }
            if (result.BasicProperties.CorrelationId == trackingId.ToString()) return result;
            await channel.BasicAckAsync(result.DeliveryTag, multiple: false);
        }
        throw new TimeoutException($"No message for {trackingId} arrived on {queue}.");
    }
}
