using IntegrationHub.Contracts.Referrals;
using IntegrationHub.Persistence;
using IntegrationHub.Routing.Recovery;
using Microsoft.EntityFrameworkCore;
using IntegrationHub.Tests.Operations;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Tests.Persistence;

public sealed class When_the_hub_restarts_on_sqlite : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("ihub-restart-").FullName;

    [Fact]
    public async Task Should_keep_its_decisions()
    {
        Guid trackingId;
        using (var first = new HubFactory(dataDirectory: _data))
        {
            var police = first.ClientFor("police");
            trackingId = await police.PostConcernAsync(TestConcerns.PoliceConcern());
            await police.WaitForDecisionAsync(trackingId);
        }

        using var second = new HubFactory(dataDirectory: _data);
        var decision = await second.ClientFor("police").WaitForDecisionAsync(trackingId, TimeSpan.FromSeconds(5));
        Assert.Contains("POL-01", decision.RuleIds());
    }

    [Fact]
    public async Task Should_add_a_column_an_earlier_build_did_not_create_and_keep_what_it_holds()
    {
        Guid trackingId;
        using (var first = new HubFactory(dataDirectory: _data))
        {
            var police = first.ClientFor("police");
            trackingId = await police.PostConcernAsync(TestConcerns.PoliceConcern());
            await police.WaitForDecisionAsync(trackingId);
            await using var db = await first.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
            // As the schema was before quarantine kept the kind (EnsureCreated never alters an existing database).
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE quarantine DROP COLUMN \"Kind\"");
        }

        using var second = new HubFactory(dataDirectory: _data);
        using (await second.ClientFor("education").PostAsync("/api/v1/concerns",
                   new System.Net.Http.StringContent("{\"child\": {}}", System.Text.Encoding.UTF8, "application/json"))) { }

        var quarantine = await second.ClientFor("operations").GetJsonAsync("/api/v1/quarantine");
        Assert.Equal("Concern", quarantine.GetProperty("items")[0].GetProperty("kind").GetString());
        Assert.Contains("POL-01", (await second.ClientFor("police").WaitForDecisionAsync(trackingId, TimeSpan.FromSeconds(5))).RuleIds());
    }

    [Fact]
    public async Task Should_finish_a_concern_that_was_accepted_but_never_routed()
    {
        // As if the process died after recording the concern and before the in-memory bus delivered it.
        using var hub = new HubFactory(new Dictionary<string, string?> { ["Hub:Recovery:StalledAfter"] = "00:00:00" }, _data);
        var trackingId = Guid.NewGuid();
        using (var scope = hub.Services.CreateScope())
        {
            var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<HubDbContext>>();
            await using var db = await factory.CreateDbContextAsync();
            var message = new ConcernRaised
            {
                TrackingId = trackingId,
                Agency = IntegrationHub.Contracts.Common.Agency.Police,
                ReceivedAt = DateTimeOffset.UtcNow.AddMinutes(-5),
                Concern = System.Text.Json.JsonSerializer.Deserialize<Concern>(TestConcerns.PoliceConcern(), IntegrationHub.Contracts.ContractJson.Options)!,
            };
            db.Messages.Add(new MessageRecord
            {
                TrackingId = trackingId, Agency = "Police", Kind = nameof(ConcernRaised), Channel = "http",
                ReceivedAt = message.ReceivedAt, Status = MessageStatus.Received,
                Payload = System.Text.Json.JsonSerializer.Serialize(message, IntegrationHub.Contracts.ContractJson.Options),
            });
            await db.SaveChangesAsync();
        }

        var (republished, _) = await hub.Services.GetRequiredService<StalledWorkSweeper>().SweepAsync(CancellationToken.None);

        Assert.Equal(1, republished);
        var decision = await hub.ClientFor("police").WaitForDecisionAsync(trackingId);
        Assert.Contains("Mash", decision.Recipients());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }
}
