using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Routing.Failures;
using IntegrationHub.Testing;
using IntegrationHub.Tests;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using static IntegrationHub.IntegrationTests.OperationsPolling;

namespace IntegrationHub.IntegrationTests;

[Collection(RealServices.Name)]
[Trait("Category", "Integration")]
public sealed class When_operations_mend_a_failure_on_RabbitMQ_and_PostgreSQL(RabbitMqFixture rabbit, PostgresFixture postgres)
{
    [Fact]
    public async Task Should_show_the_error_queue_retry_the_concern_empty_the_error_queue_and_keep_the_audit_chain_intact()
    {
        var settings = RealHub.Settings(rabbit.Node, await postgres.CreateDatabaseAsync("operations"));
        settings["Hub:RabbitMq:ManagementPort"] = rabbit.Node.ManagementPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var hub = new HubFactory(settings);
        var police = hub.ClientFor("police");
        var ops = hub.ClientFor("operations");
        var faults = hub.Services.GetRequiredService<RoutingFaultSwitch>();

        faults.Override = true;
        var trackingId = await police.PostConcernAsync(TestConcerns.PoliceConcern());
        var failures = await EventuallyAsync(ops, "/api/v1/operations/failures", f => f.GetProperty("open").GetInt32() >= 1, "the failure is recorded");
        var failureId = failures.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("items").EnumerateArray())
            .Single(i => i.GetProperty("trackingId").GetGuid() == trackingId).GetProperty("id").GetGuid();

        // The broker's own view, from the management API: the faulted message sits in the error queue; the router consumes.
        var queues = await EventuallyAsync(ops, "/api/v1/operations/queues", q => q.GetProperty("queues").EnumerateArray()
            .Any(r => r.GetProperty("name").GetString() == "hub.route-concern_error" && r.GetProperty("messages").GetInt64() >= 1), "the error queue shows the message");
        Assert.Equal("RabbitMQ management API", queues.GetProperty("source").GetString());
        Assert.Contains(queues.GetProperty("queues").EnumerateArray(), r => r.GetProperty("name").GetString() == "hub.route-concern" && r.GetProperty("consumers").GetInt32() >= 1);

        // What came in is shown too: each agency's inbound queue with its consumer, and a message nothing consumed, which
        // MassTransit moves to <queue>_skipped, is counted there as a dead letter rather than sitting unseen.
        Assert.Contains(queues.GetProperty("queues").EnumerateArray(), r => r.GetProperty("name").GetString() == "agency.police.inbound" && r.GetProperty("consumers").GetInt32() >= 1);
        Assert.Contains(queues.GetProperty("queues").EnumerateArray(), r => r.GetProperty("name").GetString() == "agency.police.inbound_error" && r.GetProperty("isError").GetBoolean());
        // A queue of its own, deleted after: the broker is shared with the other tests, and the AMQP fuzz test counts
        // what lies in the agencies' real _skipped queues.
        var skippedQueue = $"agency.ops-test-{Guid.NewGuid():N}.inbound_skipped";
        await using (var admin = await new ConnectionFactory { Uri = rabbit.AmqpUri }.CreateConnectionAsync())
        await using (var channel = await admin.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)))
        {
            await channel.QueueDeclareAsync(skippedQueue, durable: true, exclusive: false, autoDelete: false);
            try
            {
                await channel.BasicPublishAsync("", skippedQueue, mandatory: true, new BasicProperties { Persistent = true }, "{}"u8.ToArray());
                await EventuallyAsync(ops, "/api/v1/operations/queues", q => q.GetProperty("queues").EnumerateArray()
                    .Any(r => r.GetProperty("name").GetString() == skippedQueue && r.GetProperty("isError").GetBoolean() && r.GetProperty("messages").GetInt64() == 1),
                    "the skipped queue shows its message as a dead letter");
            }
            finally
            {
                await channel.QueueDeleteAsync(skippedQueue);
            }
        }

        faults.Override = false;
        using (var retry = await ops.PostAsJsonAsync($"/api/v1/operations/failures/{failureId}/retry", new { reason = "fault cleared" }))
        {
            var outcome = JsonDocument.Parse(await retry.Content.ReadAsStringAsync()).RootElement;
            Assert.True(retry.IsSuccessStatusCode, outcome.ToString());
            Assert.Equal("Retried", outcome.GetProperty("result").GetString());
            Assert.True(outcome.GetProperty("removedFromErrorQueue").GetBoolean(), outcome.ToString());
        }
        await police.WaitForDecisionAsync(trackingId, TimeSpan.FromSeconds(30));

        // The retried failure is mended: no stale copy left in the error queue, nothing open on the failures page.
        await EventuallyAsync(ops, "/api/v1/operations/queues", q => q.GetProperty("queues").EnumerateArray()
            .Any(r => r.GetProperty("name").GetString() == "hub.route-concern_error" && r.GetProperty("messages").GetInt64() == 0), "the error queue is empty");
        var after = await ops.GetFromJsonAsync<JsonElement>("/api/v1/operations/failures", ContractJson.Options);
        Assert.DoesNotContain(after.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("items").EnumerateArray()),
            i => i.TryGetProperty("trackingId", out var t) && t.ValueKind == JsonValueKind.String && t.GetGuid() == trackingId);

        using var verify = await ops.PostAsync("/api/v1/operations/audit/verify", null);
        var verified = JsonDocument.Parse(await verify.Content.ReadAsStringAsync()).RootElement;
        Assert.True(verified.GetProperty("intact").GetBoolean(), verified.ToString());
        Assert.True(verified.GetProperty("sealed").GetInt64() >= 5);
    }
}
