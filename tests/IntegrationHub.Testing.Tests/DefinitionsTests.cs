using Xunit;

namespace IntegrationHub.Testing.Tests;

/// <summary>deploy/rabbitmq/definitions.json loads and enforces least privilege.</summary>
[Trait("Category", "Infrastructure")]
[Collection(DefinitionsRabbitMqFixture.Name)]
public sealed class DefinitionsTests(DefinitionsRabbitMqFixture fixture)
{
    // Development-only passwords, documented in deploy/README.md.
    private static string DevPassword(string user) => $"{user}-dev-password";

    private Uri As(string user) => fixture.Node.AmqpUriFor(user, DevPassword(user));

    [Fact]
    public async Task Definitions_declare_users_queues_and_exchanges()
    {
        var users = await fixture.Node.RabbitMqCtlAsync("list_users", "--quiet");
        foreach (var u in new[] { "hub", "agency-health", "agency-police", "agency-education", "agency-probation", "agency-yot", "recipient-mash", "recipient-lado", "recipient-marp", "recipient-police" })
        {
            Assert.Contains(u, users, StringComparison.Ordinal);
        }

        var queues = await fixture.Node.RabbitMqCtlAsync("list_queues", "name", "type", "durable", "--quiet");
        foreach (var q in new[] { "mash.referrals", "lado.allegations", "marp.cases", "police.intelligence", "missing.coordinator", "agency.health.inbound", "agency.yot.inbound" })
        {
            Assert.Matches($@"(?m)^{System.Text.RegularExpressions.Regex.Escape(q)}\s+quorum\s+true", queues);
        }
    }

    [Fact]
    public async Task Agency_publishes_to_its_own_inbound_exchange_and_it_reaches_the_queue()
    {
        await using (var connection = await Amqp.ConnectAsync(As("agency-education")))
        await using (var channel = await Amqp.ConfirmChannelAsync(connection))
        {
            await Amqp.PublishAsync(channel, "agency.education.inbound", string.Empty, "concern-1");
            Assert.False(channel.IsClosed);
        }

        await using var hub = await Amqp.ConnectAsync(As("hub"));
        await using var hubChannel = await hub.CreateChannelAsync();
        Assert.Equal("concern-1", await Amqp.ConsumeOneAsync(hubChannel, "agency.education.inbound"));
    }

    [Fact]
    public async Task Agency_cannot_publish_as_another_agency()
    {
        await using var connection = await Amqp.ConnectAsync(As("agency-education"));
        await using var channel = await Amqp.ConfirmChannelAsync(connection);
        await Amqp.AssertAccessRefusedAsync(channel, () => Amqp.PublishAsync(channel, "agency.police.inbound", string.Empty, "forged"));
    }

    [Fact]
    public async Task Agency_cannot_consume_a_recipient_queue()
    {
        await using var connection = await Amqp.ConnectAsync(As("agency-education"));
        await using var channel = await connection.CreateChannelAsync();
        await Amqp.AssertAccessRefusedAsync(channel, () => channel.BasicGetAsync("mash.referrals", autoAck: false));
    }

    [Fact]
    public async Task Recipient_consumes_its_own_queue_but_not_another()
    {
        await using (var hub = await Amqp.ConnectAsync(As("hub")))
        await using (var hubChannel = await Amqp.ConfirmChannelAsync(hub))
        {
            await Amqp.PublishAsync(hubChannel, string.Empty, "mash.referrals", "referral-1");
        }

        await using var connection = await Amqp.ConnectAsync(As("recipient-mash"));
        await using (var channel = await connection.CreateChannelAsync())
        {
            Assert.Equal("referral-1", await Amqp.ConsumeOneAsync(channel, "mash.referrals"));
        }

        await using var other = await connection.CreateChannelAsync();
        await Amqp.AssertAccessRefusedAsync(other, () => other.BasicGetAsync("marp.cases", autoAck: false));
    }
}
