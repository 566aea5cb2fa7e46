using System.Diagnostics;
using System.Text;
using System.Text.Json;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.MissingEpisodes;
using IntegrationHub.Lifecycle;
using IntegrationHub.Lifecycle.Intake;
using IntegrationHub.Tests.Lifecycle;
using IntegrationHub.Ingress.Referrals;
using IntegrationHub.Persistence;
using IntegrationHub.Testing;
using IntegrationHub.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// Agency systems publish plain JSON to <c>agency.&lt;agency&gt;.inbound</c> with their own broker credentials, from any
/// AMQP 0-9-1 client; the broker loads deploy/rabbitmq/definitions.json (a user per agency, least privilege).
/// </summary>
[Collection(RealServices.Name)]
[Trait("Category", "Integration")]
public sealed class When_agencies_publish_over_AMQP(RabbitMqFixture rabbit) : IAsyncLifetime, IDisposable
{
    private HubFactory _hub = null!;

    private static string Root => RealHub.RepositoryRoot();

    public async Task InitializeAsync()
    {
        await rabbit.Node.ImportDefinitionsAsync(Path.Combine(Root, "deploy", "rabbitmq", "definitions.json"));
        _hub = new HubFactory(RealHub.Settings(rabbit.Node));
        _ = _hub.CreateClient(); // starts the host and its consumers
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _hub?.Dispose();

    private Task<IConnection> ConnectAsAsync(string user) => rabbit.Node.ConnectAsAsync(user);

    private static Task PublishAsync(IConnection connection, string agency, string type, byte[] body, string? messageId, string? userId,
        string contentType = "application/json") =>
        AgencyAmqp.PublishAsync(connection, agency, type, body, messageId, userId, contentType);

    /// <summary>
    /// Every example in docs/examples/&lt;agency&gt;/, each kind its agency sends, with what a practitioner would expect of it:
    /// (agency, kind, content type, recipients the decision must name, a rule that must have fired, the episode state a
    /// lifecycle kind leaves, or null for a concern).
    /// </summary>
    public static TheoryData<string, string, string, string[], string, string?> Examples => new()
    {
        { "police", "Ppd1Notification", "application/json", ["Mash"], "POL-01", null },                // 10.3.3: every PPD1 to the MASH
        { "police", "MissingPersonReport", "application/json", ["Marp", "MissingCoordinator"], "MIS-05", "Missing" }, // 15: missing at known CSE risk
        { "police", "FoundReport", "application/json", ["Mash"], "MIS-02", "InterviewRequested" },    // 14.1: back in care, a 72-hour interview is due
        { "education", "DslConcern", "application/json", ["Mash"], "SCR-03", null },                   // 10.6.4: secondary pupil at risk of exclusion
        { "probation", "ProbationConcern", "application/json", ["Mash"], "SCR-01", null },              // 10.7.3: a CSE referral from probation (no LADO: he does not work with children)
        { "yot", "YotConcern", "application/json", ["Police", "Mash"], "YOT-01", null },               // 10.9.8: may be exploiting others
        { "health", "FhirBundle", "application/fhir+json", ["Mash"], "SCR-01", null },                  // 10.1.5: a CSE referral from health
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Should_decide_each_agency_example_published_with_a_plain_RabbitMQ_client(string agency, string kind, string contentType,
        string[] recipients, string rule, string? episodeState)
    {
        var messageId = $"{kind}-{Guid.NewGuid()}";
        await using (var connection = await ConnectAsAsync($"agency-{agency}"))
            await PublishAsync(connection, agency, kind, await File.ReadAllBytesAsync(Path.Combine(Root, "docs", "examples", agency, kind + ".json")),
                messageId, $"agency-{agency}", contentType);

        var sender = Enum.Parse<Agency>(agency, ignoreCase: true);
        var trackingId = episodeState is null
            ? ConcernIntake.TrackingIdFor(sender, messageId)
            : LifecycleIntake.TrackingIdFor(sender, kind == "FoundReport" ? nameof(ChildFound) : nameof(ChildReportedMissing), messageId);
        var decision = await _hub.ClientFor(agency).WaitForDecisionAsync(trackingId);

        Assert.Equal(recipients.Order(), decision.Recipients().Distinct().Order());
        Assert.Contains(rule, decision.RuleIds());
        if (episodeState is not null)
        {
            // A missing or found report is about an episode: it is the episode's state the coordinator works from.
            var reference = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(Root, "docs", "examples", agency, kind + ".json")))
                .RootElement.GetProperty("occurrenceReference").GetString()!;
            await _hub.ClientFor("operations").WaitForEpisodeAsync(EpisodeIds.For(reference), e => e.State() == episodeState); // throws if never
        }
    }

    [Fact]
    public async Task Should_decide_a_DSL_concern_published_with_a_plain_RabbitMQ_client()
    {
        var messageId = $"dsl-{Guid.NewGuid()}";
        await using (var education = await ConnectAsAsync("agency-education"))
            await PublishAsync(education, "education", "DslConcern",
                await File.ReadAllBytesAsync(Path.Combine(Root, "docs", "examples", "education", "DslConcern.json")), messageId, "agency-education");

        var trackingId = ConcernIntake.TrackingIdFor(Agency.Education, messageId);
        var decision = await _hub.ClientFor("education").WaitForDecisionAsync(trackingId);

        Assert.Contains("Mash", decision.Recipients());
        Assert.Contains("SCR-03", decision.RuleIds()); // a secondary pupil at risk of exclusion
    }

    [Fact]
    public async Task Should_decide_a_concern_published_with_node_amqplib()
    {
        var messageId = $"node-{Guid.NewGuid()}";
        var node = Path.Combine(Root, "tests", "IntegrationHub.IntegrationTests", "node");
        if (!Directory.Exists(Path.Combine(node, "node_modules", "amqplib")))
            await RunAsync("npm", ["install", "--no-audit", "--no-fund", "--no-package-lock"], node);
        var url = rabbit.Node.AmqpUriFor("agency-health", "agency-health-dev-password").ToString();

        await RunAsync("node", ["publish.js", url, "agency.health.inbound", "Concern",
            Path.Combine(Root, "docs", "examples", "education-concern.json"), messageId, "agency-health"], node);

        var decision = await _hub.ClientFor("health").WaitForDecisionAsync(ConcernIntake.TrackingIdFor(Agency.Health, messageId));
        Assert.Contains("U13-01", decision.RuleIds()); // the example is about a 12-year-old
    }

    [Fact]
    public async Task Should_decide_a_message_delivered_twice_once()
    {
        var messageId = $"ppd1-{Guid.NewGuid()}";
        var body = await File.ReadAllBytesAsync(Path.Combine(Root, "docs", "examples", "police", "Ppd1Notification.json"));
        await using (var police = await ConnectAsAsync("agency-police"))
        {
            await PublishAsync(police, "police", "Ppd1Notification", body, messageId, "agency-police");
            await PublishAsync(police, "police", "Ppd1Notification", body, messageId, "agency-police");
        }
        var trackingId = ConcernIntake.TrackingIdFor(Agency.Police, messageId);
        await _hub.ClientFor("police").WaitForDecisionAsync(trackingId);

        // Both copies have been consumed once the queue is empty and nothing is unacknowledged.
        await WaitUntilAsync(async () => (await rabbit.Node.RabbitMqCtlAsync("list_queues", "-q", "--no-table-headers", "name", "messages"))
            .Split('\n').Any(l => l.StartsWith("agency.police.inbound\t0", StringComparison.Ordinal) || l.StartsWith("agency.police.inbound 0", StringComparison.Ordinal)));
        using var scope = _hub.Services.CreateScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        Assert.Equal(1, await db.Decisions.CountAsync(d => d.TrackingId == trackingId));
        Assert.Equal(await db.Deliveries.Where(d => d.TrackingId == trackingId).Select(d => d.Recipient).Distinct().CountAsync(),
            await db.Deliveries.CountAsync(d => d.TrackingId == trackingId));
    }

    [Theory]
    [InlineData("Concern", "{ not json", "agency-education", "not JSON")]
    [InlineData("Telegram", "{}", "agency-education", "Unknown kind")]
    [InlineData("Ppd1Notification", "{}", "agency-education", "Only Police sends Ppd1Notification")]
    [InlineData("Concern", """{"child": {}, "referrer": {}, "narrative": " "}""", "agency-education", "narrative")]
    [InlineData("Concern", """{"child": {}, "referrer": {}, "narrative": "n"}""", null, "user_id")]
    public async Task Should_move_what_cannot_be_accepted_to_the_agency_error_queue_with_the_reason(string type, string body, string? userId, string reason)
    {
        var messageId = $"bad-{Guid.NewGuid()}";
        await using (var education = await ConnectAsAsync("agency-education"))
            await PublishAsync(education, "education", type, Encoding.UTF8.GetBytes(body), messageId, userId);

        var faulted = await GetErrorAsync("agency.education.inbound_error", messageId);

        var header = faulted.BasicProperties.Headers!["MT-Fault-Message"];
        var text = header is byte[] bytes ? Encoding.UTF8.GetString(bytes) : header?.ToString() ?? "";
        Assert.Contains(reason, text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(body, Encoding.UTF8.GetString(faulted.Body.Span)); // kept whole, replayable
    }

    [Fact]
    public async Task Should_quarantine_an_updated_report_sent_under_the_first_ones_message_id_as_key_reused()
    {
        var messageId = $"missing-{Guid.NewGuid()}";
        var lastSeen = DateTimeOffset.UtcNow.AddHours(-2);
        var first = LifecycleMessages.Missing("WI-REUSED-1", "LA-REUSED-1", lastSeen);
        var riskRaised = LifecycleMessages.Missing("WI-REUSED-1", "LA-REUSED-1", lastSeen, knownCse: true);
        var trackingId = LifecycleIntake.TrackingIdFor(Agency.Police, nameof(ChildReportedMissing), messageId);
        var dbFactory = _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>();
        async Task<string?> KeptAsync()
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            return await db.Messages.Where(m => m.TrackingId == trackingId).Select(m => m.Payload).FirstOrDefaultAsync();
        }

        await using (var police = await ConnectAsAsync("agency-police"))
        {
            await PublishAsync(police, "police", nameof(ChildReportedMissing), Encoding.UTF8.GetBytes(first), messageId, "agency-police");
            await WaitUntilAsync(async () => await KeptAsync() is not null);
            await PublishAsync(police, "police", nameof(ChildReportedMissing), Encoding.UTF8.GetBytes(riskRaised), messageId, "agency-police");
        }

        var refused = await GetErrorAsync("agency.police.inbound_error", messageId);
        var reason = refused.BasicProperties.Headers!["hub-reason"];
        Assert.Equal("key-reused", reason is byte[] bytes ? Encoding.UTF8.GetString(bytes) : reason?.ToString());
        Assert.Equal(riskRaised, Encoding.UTF8.GetString(refused.Body.Span));
        Assert.Contains("\"knownCseRisk\":false", await KeptAsync(), StringComparison.Ordinal); // the first report, unchanged
    }

    [Fact]
    public async Task Should_quarantine_a_different_concern_sent_under_a_used_message_id_as_key_reused_and_decide_once()
    {
        var messageId = $"ppd1-{Guid.NewGuid()}";
        var first = TestConcerns.PoliceConcern();
        var atImmediateRisk = TestConcerns.PoliceConcern(immediateRisk: true);
        var trackingId = ConcernIntake.TrackingIdFor(Agency.Police, messageId);

        await using (var police = await ConnectAsAsync("agency-police"))
        {
            await PublishAsync(police, "police", "Concern", Encoding.UTF8.GetBytes(first), messageId, "agency-police");
            await _hub.ClientFor("police").WaitForDecisionAsync(trackingId);
            await PublishAsync(police, "police", "Concern", Encoding.UTF8.GetBytes(first), messageId, "agency-police"); // a resend: acknowledged
            await PublishAsync(police, "police", "Concern", Encoding.UTF8.GetBytes(atImmediateRisk), messageId, "agency-police");
        }

        var refused = await GetErrorAsync("agency.police.inbound_error", messageId);
        var reason = refused.BasicProperties.Headers!["hub-reason"];
        Assert.Equal("key-reused", reason is byte[] bytes ? Encoding.UTF8.GetString(bytes) : reason?.ToString());
        Assert.Equal(atImmediateRisk, Encoding.UTF8.GetString(refused.Body.Span));
        await using var db = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        Assert.Equal(1, await db.Decisions.CountAsync(d => d.TrackingId == trackingId));
        Assert.Contains("\"immediateRisk\":false", await db.Messages.Where(m => m.TrackingId == trackingId).Select(m => m.Payload).SingleAsync(),
            StringComparison.Ordinal); // the first concern, unchanged
        var quarantined = refused.BasicProperties.Headers!["hub-quarantine-id"];
        var quarantineId = Guid.Parse(quarantined is byte[] id ? Encoding.UTF8.GetString(id) : quarantined!.ToString()!);
        Assert.Equal(atImmediateRisk, Encoding.UTF8.GetString((await db.Quarantine.SingleAsync(q => q.Id == quarantineId)).Body));
    }

    [Fact]
    public async Task Should_keep_consuming_after_a_body_that_is_not_JSON_and_move_it_only_once()
    {
        var badId = $"notjson-{Guid.NewGuid()}";
        var goodId = $"dsl-{Guid.NewGuid()}";
        await using (var education = await ConnectAsAsync("agency-education"))
        {
            await PublishAsync(education, "education", "Concern", Encoding.UTF8.GetBytes("{ not json"), badId, "agency-education");
            await PublishAsync(education, "education", "DslConcern",
                await File.ReadAllBytesAsync(Path.Combine(Root, "docs", "examples", "education", "DslConcern.json")), goodId, "agency-education");
        }

        await _hub.ClientFor("education").WaitForDecisionAsync(ConcernIntake.TrackingIdFor(Agency.Education, goodId));
        await GetErrorAsync("agency.education.inbound_error", badId);
        await Task.Delay(1000); // a loop would move it again within this time
        var copies = 0;
        await using var connection = await new ConnectionFactory { Uri = rabbit.AmqpUri }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        while (await channel.BasicGetAsync("agency.education.inbound_error", autoAck: false) is { } result)
            if (result.BasicProperties.MessageId == badId) copies++;
        Assert.Equal(0, copies); // the one copy was taken above; no second copy arrived
    }

    [Fact]
    public async Task Should_not_let_an_agency_publish_as_another()
    {
        await using var education = await ConnectAsAsync("agency-education");
        await using var channel = await education.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));

        // The broker refuses a user_id that is not the connection's own user (and the exchange of another agency).
        var asPolice = new BasicProperties { ContentType = "application/json", Type = "Concern", UserId = "agency-police" };
        await Assert.ThrowsAnyAsync<Exception>(async () =>
            await channel.BasicPublishAsync("agency.education.inbound", "", mandatory: false, asPolice, Encoding.UTF8.GetBytes("{}")));
        await using var second = await education.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await Assert.ThrowsAnyAsync<OperationInterruptedException>(async () =>
            await second.BasicPublishAsync("agency.police.inbound", "", mandatory: false, new BasicProperties { UserId = "agency-education" }, Encoding.UTF8.GetBytes("{}")));
    }

    private async Task<BasicGetResult> GetErrorAsync(string queue, string messageId)
    {
        await using var connection = await new ConnectionFactory { Uri = rabbit.AmqpUri }.CreateConnectionAsync();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            // One pass over the queue on a channel of its own: the other messages are held unacknowledged, so each is seen
            // once, and go back when the channel closes. Nacked with requeue, each went back to the head and was got again,
            // so a message another test left in the queue hid this one until the deadline.
            var channel = await connection.CreateChannelAsync();
            await using (channel)
            {
                try
                {
                    while (await channel.BasicGetAsync(queue, autoAck: false) is { } result)
                    {
                        if (result.BasicProperties.MessageId != messageId) continue;
                        await channel.BasicNackAsync(result.DeliveryTag, false, requeue: false);
                        return result;
                    }
                }
                catch (OperationInterruptedException)
                {
                    // The error queue does not exist until the first fault.
                }
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{messageId} did not reach {queue}.");
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Condition not met in 20 s.");
            await Task.Delay(100);
        }
    }

    private static async Task RunAsync(string file, string[] args, string workingDirectory)
    {
        var result = await ProcessRunner.RunAsync(file, args, workingDirectory: workingDirectory, timeout: TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, result.StandardError);
    }
}
