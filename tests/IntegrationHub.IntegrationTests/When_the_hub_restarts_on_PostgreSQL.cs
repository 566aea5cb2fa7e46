using IntegrationHub.Testing;
using IntegrationHub.Tests;

namespace IntegrationHub.IntegrationTests;

[Collection(RealServices.Name)]
[Trait("Category", "Integration")]
public sealed class When_the_hub_restarts_on_PostgreSQL(PostgresFixture postgres)
{
    [Fact]
    public async Task Should_keep_its_decisions()
    {
        var database = await postgres.CreateDatabaseAsync("restart");
        Guid trackingId;
        using (var first = new HubFactory(RealHub.Settings(rabbit: null, database)))
        {
            var police = first.ClientFor("police");
            trackingId = await police.PostConcernAsync(TestConcerns.PoliceConcern());
            await police.WaitForDecisionAsync(trackingId);
        }

        using var second = new HubFactory(RealHub.Settings(rabbit: null, database));
        var decision = await second.ClientFor("police").WaitForDecisionAsync(trackingId, TimeSpan.FromSeconds(5));

        Assert.Contains("POL-01", decision.RuleIds());
        Assert.Contains("Mash", decision.Recipients());
    }
}
