using IntegrationHub.Persistence;
using IntegrationHub.Persistence.Failures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Tests.Operations;

public sealed class When_a_decided_concern_is_retried_after_the_protocol_changed : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("ihub-redecide-").FullName;

    [Fact]
    public async Task Should_decide_again_and_keep_both_revisions_in_the_history()
    {
        Guid trackingId;
        using (var before = new HubFactory(new Dictionary<string, string?> { ["Protocol:Version"] = "2017.1-hub.1" }, _data))
        {
            var police = before.ClientFor("police");
            trackingId = await police.PostConcernAsync(TestConcerns.PoliceConcern());
            await police.WaitForDecisionAsync(trackingId);
        }

        using var after = new HubFactory(new Dictionary<string, string?> { ["Protocol:Version"] = "2017.2-hub.1" }, _data);
        var ops = after.ClientFor("operations");
        var factory = after.Services.GetRequiredService<IDbContextFactory<HubDbContext>>();
        var failureId = Guid.CreateVersion7();
        await using (var db = await factory.CreateDbContextAsync())
        {
            // As if a delivery of the decided concern had failed after its retries.
            db.Set<FailureRecord>().Add(new FailureRecord
            {
                Id = failureId, TrackingId = trackingId, Consumer = "route-concern", ExceptionType = "RabbitMQ.Client.Exceptions.BrokerUnreachableException",
                MessageShape = "None of the specified endpoints were reachable", Cause = "test", FirstSeen = DateTimeOffset.UtcNow, LastSeen = DateTimeOffset.UtcNow, Occurrences = 1,
            });
            await db.SaveChangesAsync();
        }

        var retried = await ops.PostJsonAsync($"/api/v1/operations/failures/{failureId}/retry", new { reason = "broker back" });
        Assert.Equal("Retried", retried.GetProperty("result").GetString());

        var decision = await OperationsClient.EventuallyAsync(() => ops.WaitForDecisionAsync(trackingId),
            d => d.GetProperty("revision").GetInt32() == 2, "the second revision is recorded and delivered");
        Assert.Equal("2017.2-hub.1", decision.GetProperty("protocolVersion").GetString());
        await using (var db = await factory.CreateDbContextAsync())
        {
            var history = await db.Decisions.AsNoTracking().Where(d => d.TrackingId == trackingId).OrderBy(d => d.Revision)
                .Select(d => new { d.Revision, d.ProtocolVersion }).ToListAsync();
            Assert.Equal([(1, "2017.1-hub.1"), (2, "2017.2-hub.1")], history.Select(h => (h.Revision, h.ProtocolVersion)));
            Assert.True(await db.Audit.AnyAsync(a => a.TrackingId == trackingId && a.Event == "Redecided"));
        }

        // A second retry changes nothing: the failure is no longer open.
        var again = await ops.PostJsonAsync($"/api/v1/operations/failures/{failureId}/retry", new { reason = "double click" });
        Assert.Equal("already Retried", again.GetProperty("result").GetString());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }
}
