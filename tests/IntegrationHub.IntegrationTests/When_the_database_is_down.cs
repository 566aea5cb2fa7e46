using System.Net;
using System.Text;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Ingress.Referrals;
using IntegrationHub.Persistence;
using IntegrationHub.Testing;
using IntegrationHub.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// A database outage longer than the retries (decision 0015): what comes in over AMQP is held on its queue, not moved to
/// the error queue where operations cannot see it, and is taken in full when the database is back; what comes in over
/// HTTP is answered 503 with Retry-After. The retries are cut to one so that the outage outlasts them in seconds, as an
/// outage of minutes outlasts the default of about 80 s.
/// </summary>
[Collection(RealServices.Name)]
[Trait("Category", "Integration")]
public sealed class When_the_database_is_down(RabbitMqFixture rabbit, PostgresFixture postgres)
{
    private const string Unreadable = """{"child": {}, "referrer": {}, "narrative": " "}""";

    [Fact]
    public async Task Should_hold_AMQP_input_answer_HTTP_with_503_and_take_everything_in_when_it_is_back()
    {
        await rabbit.Node.ImportDefinitionsAsync(Path.Combine(RealHub.RepositoryRoot(), "deploy", "rabbitmq", "definitions.json"));
        var settings = RealHub.Settings(rabbit.Node, await postgres.CreateDatabaseAsync("outage"));
        settings["Hub:RetryLimit"] = "1";
        using var hub = new HubFactory(settings);
        var police = hub.ClientFor("police");
        var ops = hub.ClientFor("operations");
        await ops.WaitForDecisionAsync(await police.PostConcernAsync(TestConcerns.PoliceConcern()), TimeSpan.FromSeconds(30));
        await using var agency = await rabbit.Node.ConnectAsAsync("agency-police");
        await using var admin = await new ConnectionFactory { Uri = rabbit.AmqpUri }.CreateConnectionAsync();
        var run = Guid.NewGuid().ToString("N")[..8];
        var good = Enumerable.Range(0, 5).Select(i => $"outage-{run}-{i}").ToList();

        try
        {
            await postgres.Node.StopAsync();

            using (var content = new StringContent(TestConcerns.PoliceConcern(), Encoding.UTF8, "application/json"))
            using (var refused = await police.PostAsync("/api/v1/concerns", content))
            {
                var answer = await refused.Content.ReadAsStringAsync();
                Assert.True(refused.StatusCode == HttpStatusCode.ServiceUnavailable, $"got {(int)refused.StatusCode}: {answer}");
                Assert.Equal("30", refused.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Assert.Contains("with the same Idempotency-Key", answer, StringComparison.Ordinal);
            }

            foreach (var id in good)
                await AgencyAmqp.PublishAsync(agency, "police", "Concern", Encoding.UTF8.GetBytes(TestConcerns.PoliceConcern()), id, "agency-police");
            await AgencyAmqp.PublishAsync(agency, "police", "Concern", Encoding.UTF8.GetBytes(Unreadable), $"outage-{run}-unreadable", "agency-police");

            // One retry takes about a tenth of a second: without the hold, every message would be in the error queue
            // long before this.
            await Task.Delay(TimeSpan.FromSeconds(6));
            Assert.Equal(0u, await AgencyAmqp.DepthAsync(admin, "agency.police.inbound_error"));
        }
        finally
        {
            await postgres.Node.StartAsync();
        }

        foreach (var id in good)
            await ops.WaitForDecisionAsync(ConcernIntake.TrackingIdFor(Agency.Police, id), TimeSpan.FromSeconds(90));

        // The unreadable one was held too, until it could be kept in quarantine; only then was it moved, with its id.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        QuarantineRecord? kept = null;
        while (kept is null && DateTime.UtcNow < deadline)
        {
            await using (var db = await hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync())
                kept = (await db.Quarantine.AsNoTracking().Where(q => q.Channel == "amqp").ToListAsync())
                    .SingleOrDefault(q => q.Body.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(Unreadable)));
            if (kept is null) await Task.Delay(250);
        }
        Assert.True(kept is not null, "not kept in quarantine; the hub's warnings:\n" + string.Join("\n", hub.Logs.Where(l => l.Contains("uarantine", StringComparison.Ordinal) || l.Contains("HubRetry", StringComparison.Ordinal) || l.Contains("refused", StringComparison.Ordinal)).Select(l => l.Length > 400 ? l[..400] : l).TakeLast(40)));
        Assert.Equal("Police", kept.Agency);
        while (await AgencyAmqp.DepthAsync(admin, "agency.police.inbound_error") == 0 && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.Equal(1u, await AgencyAmqp.DepthAsync(admin, "agency.police.inbound_error"));
        await using var channel = await admin.CreateChannelAsync();
        var copy = await channel.BasicGetAsync("agency.police.inbound_error", autoAck: false);
        Assert.NotNull(copy);
        Assert.Equal(kept.Id.ToString(), copy.BasicProperties.Header("hub-quarantine-id"));
    }
}
