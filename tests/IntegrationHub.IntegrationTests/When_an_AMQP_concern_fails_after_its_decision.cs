using System.Text;
using System.Text.Json;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Ingress.Referrals;
using IntegrationHub.Persistence;
using IntegrationHub.Testing;
using Microsoft.EntityFrameworkCore.Diagnostics;
using System.Data.Common;
using IntegrationHub.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// A concern over AMQP is decided and its deliveries staged and sent, then the sent-mark fails until the retries run out
/// (here an interceptor refuses it; in life a send refused by a full queue, or a sent-mark that fails for a reason of
/// its own). It is kept already: the message is acknowledged and the stalled-work sweeper sends
/// what is unsent. Before, it was quarantined and moved to the agency's error queue as refused input, and a replay
/// from the Failures page decided it again under a new tracking id: MASH and the police got it twice.
/// </summary>
[Collection(RealServices.Name)]
[Trait("Category", "Integration")]
public sealed class When_an_AMQP_concern_fails_after_its_decision(RabbitMqFixture rabbit)
{
    [Fact]
    public async Task Should_be_acknowledged_not_quarantined_and_its_deliveries_marked_by_the_sweeper()
    {
        await rabbit.Node.ImportDefinitionsAsync(Path.Combine(RealHub.RepositoryRoot(), "deploy", "rabbitmq", "definitions.json"));
        var settings = RealHub.Settings(rabbit.Node);
        settings["Hub:RetryLimit"] = "1";
        settings["Hub:Recovery:Interval"] = "00:00:01";
        settings["Hub:Recovery:StalledAfter"] = "00:00:02";
        var sentMarks = new FailSentMarks { Failing = true };
        using var hub = new HubFactory(settings, services: s => s.ConfigureDbContext<HubDbContext>(o => o.AddInterceptors(sentMarks)));
        var ops = hub.ClientFor("operations");
        await using var agency = await rabbit.Node.ConnectAsAsync("agency-police");
        await using var admin = await new ConnectionFactory { Uri = rabbit.AmqpUri }.CreateConnectionAsync();
        var errorBefore = await AgencyAmqp.DepthAsync(admin, "agency.police.inbound_error");
        var messageId = $"after-decision-{Guid.NewGuid():N}";
        var trackingId = ConcernIntake.TrackingIdFor(Agency.Police, messageId);

        await AgencyAmqp.PublishAsync(agency, "police", "Concern", Encoding.UTF8.GetBytes(TestConcerns.PoliceConcern()), messageId, "agency-police");

        // The first try and the one retry fail at the sent-mark; then the error pipe has it.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!hub.Logs.Any(l => l.Contains($"AMQP message {trackingId} failed after it was kept", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Assert.True(sentMarks.Refused >= 2, $"the sent-mark was refused {sentMarks.Refused} times");
        Assert.Contains(hub.Logs, l => l.Contains($"AMQP message {trackingId} failed after it was kept", StringComparison.Ordinal));
        await using (var db = await hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync())
            Assert.Equal(0, await db.Quarantine.CountAsync(q => q.Channel == "amqp"));
        Assert.Equal(errorBefore, await AgencyAmqp.DepthAsync(admin, "agency.police.inbound_error"));

        // The sent-marks are taken again: the sweeper finishes the deliveries; one decision, one revision, one message.
        sentMarks.Failing = false;
        await ops.WaitForDecisionAsync(trackingId, TimeSpan.FromSeconds(60));
        await using (var db = await hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync())
        {
            Assert.Equal(1, await db.Decisions.CountAsync(d => d.TrackingId == trackingId));
            Assert.Equal(1, await db.Messages.CountAsync(m => m.Agency == "Police"));
        }
    }

    /// <summary>Refuses the deliveries' sent-mark (the UPDATE of <c>SentAt</c>) while <see cref="Failing"/> is set.</summary>
    private sealed class FailSentMarks : DbCommandInterceptor
    {
        private int _refused;

        public volatile bool Failing;

        public int Refused => Volatile.Read(ref _refused);

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (Failing && command.CommandText.Contains("UPDATE", StringComparison.OrdinalIgnoreCase)
                && command.CommandText.Contains("\"SentAt\"", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _refused);
                throw new InvalidOperationException("The sent-mark is refused (simulated).");
            }
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
