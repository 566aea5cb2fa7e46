using System.Text;
using System.Text.Json;
using IntegrationHub.Lifecycle.Deadlines;
using IntegrationHub.Testing;
using IntegrationHub.Tests;
using IntegrationHub.Tests.Lifecycle;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using RabbitMQ.Client;

namespace IntegrationHub.IntegrationTests;

/// <summary>Handbook 14.1 end to end on RabbitMQ and PostgreSQL: reported, found, interview overdue, escalated, completed late.</summary>
[Collection(RealServices.Name)]
[Trait("Category", "Integration")]
public sealed class When_a_missing_episode_runs_through_RabbitMQ(RabbitMqFixture rabbit, PostgresFixture postgres)
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 16, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Should_deliver_each_step_and_show_it_in_the_history_with_times()
    {
        var database = await postgres.CreateDatabaseAsync("episode");
        var clock = new FakeTimeProvider(Start);
        var settings = RealHub.Settings(rabbit.Node, database);
        settings["Hub:Lifecycle:EscalationGrace"] = "06:00:00";
        using var hub = new HubFactory(settings, services: s => s.AddSingleton<TimeProvider>(clock));
        var police = hub.ClientFor("police");
        var operations = hub.ClientFor("operations");
        var reference = $"WI-RMQ-{Guid.NewGuid():N}";
        // A message published before the lifecycle's queues are bound would wait for the stalled-work sweeper, which
        // a frozen test clock never lets run: start once the bus reports ready.
        await LifecycleMessages.EventuallyAsync(async () => (await operations.GetAsync("/health")).IsSuccessStatusCode, ok => ok, "the bus to be ready");

        var missing = await police.PostLifecycleAsync("/api/v1/missing-reports", LifecycleMessages.Missing(reference, "LA-RMQ-1", Start.AddHours(-2), from: "Care"));
        await operations.WaitForEpisodeAsync(missing.EpisodeId, e => e.State() == "Missing");
        clock.Advance(TimeSpan.FromHours(3));
        var returnedAt = clock.GetUtcNow();
        var found = await police.PostLifecycleAsync("/api/v1/found-reports", LifecycleMessages.Found(reference, "LA-RMQ-1", returnedAt, from: "Care"));
        await operations.WaitForEpisodeAsync(missing.EpisodeId, e => e.State() == "InterviewRequested");

        var factory = new ConnectionFactory { Uri = rabbit.AmqpUri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var requested = await GetAsync(channel, "mash.referrals", found.TrackingId, "ReturnInterviewRequested");
        Assert.Equal("application/json", requested.Properties.ContentType);
        Assert.Equal(returnedAt.AddHours(72), requested.Body.GetProperty("dueAt").GetDateTimeOffset());
        Assert.True(requested.Body.GetProperty("mandatory").GetBoolean());

        var sweeper = hub.Services.GetRequiredService<DeadlineSweeper>();
        clock.Advance(TimeSpan.FromHours(72));
        await sweeper.SweepAsync(CancellationToken.None);
        var first = await GetAsync(channel, "mash.referrals", found.TrackingId, "DeadlineOverdue");
        Assert.Equal(1, first.Body.GetProperty("escalationLevel").GetInt32());
        Assert.Equal("SocialWorker", first.Body.GetProperty("escalatedTo").GetString());

        clock.Advance(TimeSpan.FromHours(6));
        await sweeper.SweepAsync(CancellationToken.None);
        var second = await GetAsync(channel, "mash.referrals", found.TrackingId, "DeadlineOverdue");
        Assert.Equal(2, second.Body.GetProperty("escalationLevel").GetInt32());
        Assert.Equal("MashManager", second.Body.GetProperty("escalatedTo").GetString());

        clock.Advance(TimeSpan.FromHours(2));
        var interview = await hub.ClientFor("health").PostLifecycleAsync("/api/v1/return-interviews", LifecycleMessages.Interview(reference, "LA-RMQ-1", clock.GetUtcNow()));
        var episode = await operations.WaitForEpisodeAsync(missing.EpisodeId, e => e.State() == "InterviewCompleted");
        // MIS-02: missing from care, so the completed form goes to the police in the MASH.
        var form = await GetAsync(channel, "police.intelligence", interview.TrackingId, "ReturnInterviewShared");
        Assert.Equal("MIS-02", form.Body.GetProperty("ruleId").GetString());
        Assert.Equal(reference, form.Body.GetProperty("interview").GetProperty("policeReference").GetString());

        var history = episode.GetProperty("history").EnumerateArray()
            .Select(s => (Event: s.GetProperty("event").GetString(), At: s.GetProperty("at").GetDateTimeOffset())).ToList();
        Assert.Equal(
            [
                ("ReportedMissing", Start), ("Returned", returnedAt), ("ReturnInterviewRequested", returnedAt),
                ("ReturnInterviewOverdue", returnedAt.AddHours(72)), ("ReturnInterviewEscalated", returnedAt.AddHours(78)),
                ("ReturnInterviewCompleted", returnedAt.AddHours(80)), ("InterviewFormSentToPolice", returnedAt.AddHours(80)),
            ],
            history);
        Assert.True(episode.GetProperty("clock").GetProperty("late").GetBoolean());
        Assert.Contains("late by 8h00m", episode.GetProperty("history")[5].GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Nothing further once it is done.
        clock.Advance(TimeSpan.FromDays(5));
        Assert.Equal(0, await sweeper.SweepAsync(CancellationToken.None));
    }

    private sealed record Received(IReadOnlyBasicProperties Properties, JsonElement Body);

    /// <summary>Takes messages off the queue until one of <paramref name="kind"/> for <paramref name="trackingId"/> turns up.</summary>
    private static async Task<Received> GetAsync(IChannel channel, string queue, Guid trackingId, string kind)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var result = await channel.BasicGetAsync(queue, autoAck: true);
            if (result is null)
            {
                await Task.Delay(50);
                continue;
            }
            var headerKind = result.BasicProperties.Headers?.TryGetValue("hub-message-kind", out var value) == true && value is byte[] bytes
                ? Encoding.UTF8.GetString(bytes) : null;
            if (result.BasicProperties.CorrelationId == trackingId.ToString() && headerKind == kind)
                return new Received(result.BasicProperties, JsonDocument.Parse(Encoding.UTF8.GetString(result.Body.Span)).RootElement.Clone());
        }
        throw new TimeoutException($"No {kind} for {trackingId} arrived on {queue}.");
    }
}
