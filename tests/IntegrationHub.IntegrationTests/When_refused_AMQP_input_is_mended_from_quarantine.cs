using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IntegrationHub.Persistence;
using IntegrationHub.Testing;
using IntegrationHub.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// What the hub cannot accept over AMQP is kept as refused HTTP input is (decision 0013): in quarantine, on the Failures
/// page, replayable; and moved whole to the agency's error queue with the quarantine id, so that replaying or discarding
/// it in the hub takes the broker's copy out.
/// </summary>
[Collection(RealServices.Name)]
[Trait("Category", "Integration")]
public sealed class When_refused_AMQP_input_is_mended_from_quarantine(RabbitMqFixture rabbit) : IAsyncLifetime, IDisposable
{
    private const string ErrorQueue = "agency.police.inbound_error";
    private const string Unreadable = """{"child": {}, "referrer": {}, "narrative": " "}""";
    private HubFactory _hub = null!;

    public async Task InitializeAsync()
    {
        await rabbit.Node.ImportDefinitionsAsync(Path.Combine(RealHub.RepositoryRoot(), "deploy", "rabbitmq", "definitions.json"));
        _hub = new HubFactory(RealHub.Settings(rabbit.Node));
        _ = _hub.CreateClient();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _hub?.Dispose();

    [Fact]
    public async Task Should_keep_it_in_quarantine_replay_it_once_it_reads_and_take_the_error_queue_copy_out()
    {
        var messageId = $"refused-{Guid.NewGuid()}";
        await PublishAsPoliceAsync(messageId, Unreadable, userId: "agency-police");

        var held = await QuarantinedAsync(Unreadable);
        Assert.Equal(("Police", "amqp", "Concern", "application/json"), (held.Agency, held.Channel, held.Kind, held.ContentType));
        Assert.Contains("narrative", held.Reason, StringComparison.Ordinal);
        Assert.Equal(held.Id.ToString(), (await ArrivedAsync(messageId)).Header("hub-quarantine-id"));
        var ops = _hub.ClientFor("operations");
        var listed = await ops.GetFromJsonAsync<JsonElement>("/api/v1/operations/failures");
        Assert.Contains(listed.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("items").EnumerateArray()),
            i => i.GetProperty("id").GetGuid() == held.Id);

        // Still unreadable: it stays in quarantine, and its copy stays in the error queue.
        var refused = await RetryAsync(ops, held.Id);
        Assert.StartsWith("still", refused.GetProperty("result").GetString(), StringComparison.Ordinal);
        Assert.NotNull(await CopyAsync(messageId));

        // The adapter is mended; as a stand-in, the kept body becomes one the hub reads.
        await using (var db = await DbAsync())
        {
            var record = await db.Quarantine.SingleAsync(q => q.Id == held.Id);
            record.Body = Encoding.UTF8.GetBytes(TestConcerns.PoliceConcern());
            record.BodyLength = record.Body.Length;
            await db.SaveChangesAsync();
        }
        var retried = await RetryAsync(ops, held.Id);
        Assert.Equal("Retried", retried.GetProperty("result").GetString());
        Assert.True(retried.GetProperty("removedFromErrorQueue").GetBoolean(), retried.ToString());
        var decision = await ops.WaitForDecisionAsync(retried.GetProperty("trackingId").GetGuid());
        Assert.Contains("Mash", decision.Recipients());
        Assert.Null(await CopyAsync(messageId));
    }

    [Fact]
    public async Task Should_take_the_copy_out_when_it_is_discarded_from_the_failures_page_or_the_quarantine_API()
    {
        var vouched = $"discard-{Guid.NewGuid()}";
        var anonymous = $"discard-{Guid.NewGuid()}";
        await PublishAsPoliceAsync(vouched, Unreadable.Replace(" \"}", "  \"}", StringComparison.Ordinal), userId: "agency-police");
        await PublishAsPoliceAsync(anonymous, Unreadable.Replace(" \"}", "   \"}", StringComparison.Ordinal), userId: null);
        var first = await QuarantinedAsync(Unreadable.Replace(" \"}", "  \"}", StringComparison.Ordinal));
        var second = await QuarantinedAsync(Unreadable.Replace(" \"}", "   \"}", StringComparison.Ordinal));
        Assert.Equal("Police", first.Agency);
        Assert.Null(second.Agency); // no user_id: the broker did not vouch for a sender, so it is nobody's
        Assert.Contains("user_id", second.Reason, StringComparison.Ordinal);
        await ArrivedAsync(vouched);
        await ArrivedAsync(anonymous);
        var ops = _hub.ClientFor("operations");

        using (var discard = await ops.PostAsJsonAsync($"/api/v1/operations/failures/{first.Id}/discard", new { reason = "sent again corrected" }))
        {
            var outcome = JsonDocument.Parse(await discard.Content.ReadAsStringAsync()).RootElement;
            Assert.True(discard.IsSuccessStatusCode, outcome.ToString());
            Assert.Equal("Discarded", outcome.GetProperty("result").GetString());
            Assert.True(outcome.GetProperty("removedFromErrorQueue").GetBoolean(), outcome.ToString());
        }
        using (var discard = await ops.PostAsJsonAsync($"/api/v1/quarantine/{second.Id}/discard", new { reason = "not from an agency" }))
            Assert.True(discard.IsSuccessStatusCode, await discard.Content.ReadAsStringAsync());

        Assert.Null(await CopyAsync(vouched));
        Assert.Null(await CopyAsync(anonymous));
    }

    [Fact]
    public async Task Should_keep_a_message_refused_twice_once_and_take_both_its_copies_out_when_it_is_discarded()
    {
        // The same message twice (a redelivery, or the agency sending it again unchanged), then another body under its id.
        var messageId = $"twice-{Guid.NewGuid()}";
        var body = Unreadable.Replace(" \"}", "    \"}", StringComparison.Ordinal);
        var reused = Unreadable.Replace(" \"}", "     \"}", StringComparison.Ordinal);
        await PublishAsPoliceAsync(messageId, body, userId: "agency-police");
        await PublishAsPoliceAsync(messageId, body, userId: "agency-police");
        await PublishAsPoliceAsync(messageId, reused, userId: "agency-police");

        var copies = await CopiesAsync(messageId, count: 3); // each moved after its quarantine write
        await using (var db = await DbAsync())
        {
            var kept = await db.Quarantine.AsNoTracking().Where(q => q.Channel == "amqp").ToListAsync();
            Assert.Single(kept, q => q.Body.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(body)));
        }
        var held = await QuarantinedAsync(body);
        var other = await QuarantinedAsync(reused);
        Assert.NotEqual(held.Id, other.Id);
        Assert.Equal([.. new[] { held.Id.ToString(), held.Id.ToString(), other.Id.ToString() }.Order()], copies.Order());

        await DiscardAsync(held.Id);
        Assert.Equal([other.Id.ToString()], await CopiesAsync(messageId, count: 1));
        await DiscardAsync(other.Id); // and nothing is left in the error queue for the other tests
        Assert.Empty(await CopiesAsync(messageId, count: 0));
    }

    private async Task DiscardAsync(Guid id)
    {
        using var discard = await _hub.ClientFor("operations").PostAsJsonAsync($"/api/v1/operations/failures/{id}/discard", new { reason = "sent again corrected" });
        var outcome = JsonDocument.Parse(await discard.Content.ReadAsStringAsync()).RootElement;
        Assert.True(discard.IsSuccessStatusCode, outcome.ToString());
        Assert.Equal("Discarded", outcome.GetProperty("result").GetString());
        Assert.True(outcome.GetProperty("removedFromErrorQueue").GetBoolean(), outcome.ToString());
    }

    private async Task PublishAsPoliceAsync(string messageId, string body, string? userId)
    {
        await using var police = await rabbit.Node.ConnectAsAsync("agency-police");
        await AgencyAmqp.PublishAsync(police, "police", "Concern", Encoding.UTF8.GetBytes(body), messageId, userId);
    }

    private async Task<HubDbContext> DbAsync() =>
        await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();

    /// <summary>The quarantine record of the one body sent as <paramref name="body"/>, once the error pipe has kept it.</summary>
    private async Task<QuarantineRecord> QuarantinedAsync(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            await using (var db = await DbAsync())
            {
                var records = await db.Quarantine.AsNoTracking().Where(q => q.Channel == "amqp").ToListAsync();
                if (records.SingleOrDefault(r => r.Body.AsSpan().SequenceEqual(bytes)) is { } found) return found;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("The refused message was not kept in quarantine.");
    }

    /// <summary>The copy of <paramref name="messageId"/> in the police error queue, once it is there (it is moved just after it is quarantined).</summary>
    private async Task<IReadOnlyBasicProperties> ArrivedAsync(string messageId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (await CopyAsync(messageId) is { } copy) return copy;
            await Task.Delay(100);
        }
        throw new TimeoutException($"{messageId} did not reach {ErrorQueue}.");
    }

    /// <summary>
    /// The properties of the copy of <paramref name="messageId"/> in the police error queue, or null if it is not there.
    /// Looks without taking: every message read goes back when the channel closes.
    /// </summary>
    private async Task<IReadOnlyBasicProperties?> CopyAsync(string messageId)
    {
        await using var connection = await new ConnectionFactory { Uri = rabbit.AmqpUri }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        uint waiting;
        try
        {
            waiting = (await channel.QueueDeclarePassiveAsync(ErrorQueue)).MessageCount;
        }
        catch (OperationInterruptedException)
        {
            return null;
        }
        for (uint i = 0; i < waiting; i++)
        {
            if (await channel.BasicGetAsync(ErrorQueue, autoAck: false) is not { } got) break;
            if (got.BasicProperties.MessageId == messageId) return got.BasicProperties;
        }
        return null;
    }

    /// <summary>
    /// The quarantine ids on the copies of <paramref name="messageId"/> in the police error queue, once there are
    /// <paramref name="count"/> of them. Looks without taking: every message read goes back when the channel closes.
    /// </summary>
    private async Task<List<string>> CopiesAsync(string messageId, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        List<string> found;
        do
        {
            found = [];
            await using (var connection = await new ConnectionFactory { Uri = rabbit.AmqpUri }.CreateConnectionAsync())
            await using (var channel = await connection.CreateChannelAsync())
            {
                var waiting = await AgencyAmqp.DepthAsync(connection, ErrorQueue);
                for (uint i = 0; i < waiting; i++)
                {
                    if (await channel.BasicGetAsync(ErrorQueue, autoAck: false) is not { } got) break;
                    if (got.BasicProperties.MessageId == messageId) found.Add(got.BasicProperties.Header("hub-quarantine-id"));
                }
            }
            if (found.Count == count) return found;
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"{ErrorQueue} holds {found.Count} copies of {messageId}, not {count}.");
    }

    private static async Task<JsonElement> RetryAsync(HttpClient ops, Guid id)
    {
        using var retry = await ops.PostAsJsonAsync($"/api/v1/operations/failures/{id}/retry", new { reason = "adapter mended" });
        var outcome = JsonDocument.Parse(await retry.Content.ReadAsStringAsync()).RootElement;
        Assert.True(retry.IsSuccessStatusCode, outcome.ToString());
        return outcome;
    }
}
