using IntegrationHub.Persistence;
using IntegrationHub.Routing.Recovery;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Tests.Referrals;

/// <summary>
/// The stalled-work sweeper finishes each item on its own. Before, one delivery it could not send (here a payload that no
/// longer reads) failed the whole sweep: nothing behind it was sent or marked, every 30 s, for ever.
/// </summary>
public sealed class When_stalled_work_holds_a_row_that_cannot_be_finished
{
    [Fact]
    public async Task Should_send_the_others_and_say_which_one_it_could_not()
    {
        using var hub = new HubFactory(new Dictionary<string, string?> { ["Hub:Recovery:Interval"] = "01:00:00" });
        var police = hub.ClientFor("police");
        var trackingId = await police.PostConcernAsync(TestConcerns.PoliceConcern());
        await police.WaitForDecisionAsync(trackingId);

        var dbFactory = hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>();
        Guid bad = Guid.NewGuid(), good = Guid.NewGuid(), badTracking = Guid.NewGuid();
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var sent = await db.Deliveries.AsNoTracking().FirstAsync(d => d.TrackingId == trackingId);
            var longAgo = DateTimeOffset.UtcNow.AddMinutes(-10);
            // The bad one is the older: taken first, as the sweep takes the oldest first.
            db.Deliveries.Add(new DeliveryRecord
            {
                DeliveryId = bad, TrackingId = badTracking, Recipient = sent.Recipient, Queue = sent.Queue, MessageKind = sent.MessageKind,
                CreatedAt = longAgo.AddMinutes(-1), Payload = "{",
            });
            db.Deliveries.Add(new DeliveryRecord
            {
                DeliveryId = good, TrackingId = trackingId, Recipient = sent.Recipient, Queue = sent.Queue, MessageKind = sent.MessageKind,
                CreatedAt = longAgo, Payload = sent.Payload,
            });
            await db.SaveChangesAsync();
        }

        var (_, resent) = await hub.Services.GetRequiredService<StalledWorkSweeper>().SweepAsync(CancellationToken.None);

        Assert.Equal(1, resent);
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            Assert.NotNull((await db.Deliveries.SingleAsync(d => d.DeliveryId == good)).SentAt);
            Assert.Null((await db.Deliveries.SingleAsync(d => d.DeliveryId == bad)).SentAt);
        }
        Assert.Contains(hub.Logs, l => l.Contains($"Stalled work for {badTracking} could not be finished (JsonException)", StringComparison.Ordinal));
    }

    /// <summary>What the sweepers take for one item's failure (log it, go on with the rest) and what fails the sweep whole.</summary>
    [Fact]
    public void Should_take_a_database_outage_or_a_stop_for_the_sweeps_failure_not_one_items()
    {
        using var stopped = new CancellationTokenSource();
        stopped.Cancel();

        Assert.True(PeriodicSweep.IsItemFailure(new System.Text.Json.JsonException("bad payload"), CancellationToken.None));
        Assert.True(PeriodicSweep.IsItemFailure(new TimeoutException("the broker did not confirm"), CancellationToken.None));
        Assert.True(PeriodicSweep.IsItemFailure(new OperationCanceledException("a send timed out"), CancellationToken.None));
        // PostgreSQL gone: every item behind this one would fail alike, each after its own wait.
        Assert.False(PeriodicSweep.IsItemFailure(new Npgsql.NpgsqlException("Exception while reading from stream", new IOException("Connection reset")), CancellationToken.None));
        Assert.False(PeriodicSweep.IsItemFailure(new OperationCanceledException(), stopped.Token));
    }
}
