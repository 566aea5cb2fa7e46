using System.Text;
using System.Text.Json;
using IntegrationHub.Lifecycle;
using IntegrationHub.Testing;
using IntegrationHub.Tests;
using IntegrationHub.Tests.Lifecycle;
using RabbitMQ.Client;

namespace IntegrationHub.IntegrationTests;

/// <summary>What each recipient reads off its real queue is what the protocol released to it.</summary>
[Collection(RealServices.Name)]
[Trait("Category", "Integration")]
public sealed class When_the_protocol_routes_through_RabbitMQ(RabbitMqFixture rabbit) : IDisposable
{
    private readonly HubFactory _hub = new(RealHub.Settings(rabbit.Node));

    private static string Example(params string[] path) => File.ReadAllText(Path.Combine([RealHub.RepositoryRoot(), "docs", "examples", .. path]));

    private async Task<JsonElement> ReadAsync(string queue, Guid trackingId)
    {
        await using var connection = await new ConnectionFactory { Uri = rabbit.AmqpUri }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var message = await When_a_concern_is_routed_through_RabbitMQ.GetForAsync(channel, queue, trackingId);
        await channel.BasicAckAsync(message.DeliveryTag, multiple: false);
        return JsonDocument.Parse(Encoding.UTF8.GetString(message.Body.Span)).RootElement;
    }

    [Fact]
    public async Task Should_put_a_concern_about_a_12_year_old_on_mash_referrals_with_a_strategy_discussion()
    {
        var education = _hub.ClientFor("education");
        var trackingId = await education.PostConcernAsync(Example("education-concern.json"));
        await education.WaitForDecisionAsync(trackingId);

        var mash = await ReadAsync("mash.referrals", trackingId);

        Assert.Contains(mash.GetProperty("actions").EnumerateArray(), a => a.GetProperty("kind").GetString() == "StrategyDiscussion");
        Assert.Contains(mash.GetProperty("rulesFired").EnumerateArray(), r => r.GetProperty("ruleId").GetString() == "U13-01");
    }

    [Fact]
    public async Task Should_put_a_trafficking_concern_on_police_intelligence()
    {
        var police = _hub.ClientFor("police");
        var trackingId = await police.PostConcernAsync(Example("protocol", "TRF-01.police.json"));
        await police.WaitForDecisionAsync(trackingId);

        var intelligence = await ReadAsync("police.intelligence", trackingId);

        Assert.Equal("Police", intelligence.GetProperty("recipient").GetString());
        Assert.True(intelligence.GetProperty("concern").TryGetProperty("trafficking", out _));
    }

    [Fact]
    public async Task Should_put_nothing_that_identifies_the_child_on_marp_cases()
    {
        var police = _hub.ClientFor("police");
        var operations = _hub.ClientFor("operations");
        var found = await police.PostLifecycleAsync("/api/v1/found-reports", LifecycleMessages.Found("WI-MARP-1", "LA-MARP-1", DateTimeOffset.UtcNow.AddHours(-3)));
        await operations.WaitForEpisodeAsync(found.EpisodeId, e => e.State() == "InterviewRequested");
        var interview = await _hub.ClientFor("health").PostLifecycleAsync("/api/v1/return-interviews",
            LifecycleMessages.Interview("WI-MARP-1", "LA-MARP-1", DateTimeOffset.UtcNow, discloses: true));
        var concernId = EpisodeIds.ConcernFromInterview(interview.TrackingId);
        var decision = await operations.WaitForDecisionAsync(concernId);
        Assert.Contains("Marp", decision.Recipients());

        var marp = await ReadAsync("marp.cases", concernId);

        var child = marp.GetProperty("concern").GetProperty("child");
        foreach (var identifier in new[] { "nhsNumber", "localChildId", "givenName", "familyName", "dateOfBirth", "address", "postcode", "school", "schoolUrn" })
            Assert.True(!child.TryGetProperty(identifier, out var value) || value.ValueKind == JsonValueKind.Null, $"marp.cases carried child.{identifier}");
        var text = marp.GetRawText();
        Assert.DoesNotContain("LA-MARP-1", text);
        Assert.DoesNotContain("Testchild", text);
        Assert.False(string.IsNullOrEmpty(marp.GetProperty("childKey").GetString()));
    }

    public void Dispose() => _hub.Dispose();
}
