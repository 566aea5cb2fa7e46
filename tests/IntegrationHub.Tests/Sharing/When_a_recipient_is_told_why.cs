using IntegrationHub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Tests.Sharing;

/// <summary>What a recipient's queue receives explains the decision only as far as its profile lets it see the concern.</summary>
public sealed class When_a_recipient_is_told_why : IDisposable
{
    private readonly HubFactory _hub = new();

    [Fact]
    public async Task Should_not_name_to_the_police_the_impairment_held_back_from_them()
    {
        var body = TestConcerns.PoliceConcern(immediateRisk: true).Replace("\"legalStatus\": \"LookedAfter\"", "\"legalStatus\": \"LookedAfter\", \"learningDisability\": true");
        var police = _hub.ClientFor("police");
        var trackingId = await police.PostConcernAsync(body);
        await police.WaitForDecisionAsync(trackingId);

        await using var db = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        var deliveries = await db.Deliveries.AsNoTracking().Where(d => d.TrackingId == trackingId).ToDictionaryAsync(d => d.Recipient, d => d.Payload);

        Assert.Contains("learning disability", deliveries["Mash"]);
        Assert.Contains("ConsentDoubtful", deliveries["Mash"]);
        Assert.Contains("DIS-01", deliveries["Police"]);
        Assert.DoesNotContain("learning disability", deliveries["Police"]);
        Assert.DoesNotContain("ConsentDoubtful", deliveries["Police"]);
    }

    public void Dispose() => _hub.Dispose();
}
