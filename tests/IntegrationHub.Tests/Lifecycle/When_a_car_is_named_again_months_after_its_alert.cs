using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Referrals;
using IntegrationHub.Persistence;
using IntegrationHub.Protocol;
using IntegrationHub.Routing.Referrals;
using IntegrationHub.Routing.Sharing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Tests.Lifecycle;

/// <summary>
/// PAT-01 counts children within the window for an update as for a detection: two children in January alerted; one
/// child alone in November is no pattern and sends nothing; a second child then is a new pattern, detected afresh, not an
/// update of January's spent alert. The decision times are the concerns' own (as a group of decisions sets them), so
/// no clock is waited on. Found by a pattern review.
/// </summary>
public sealed class When_a_car_is_named_again_months_after_its_alert : IDisposable
{
    private readonly HubFactory _hub = new();

    public void Dispose() => _hub.Dispose();

    private async Task<IReadOnlyList<DeliveryRecord>> DecideAsync(string child, Agency agency, DateTimeOffset decidedAt)
    {
        var index = Assert.Single(_hub.Services.GetServices<IDecisionIndex>());
        var protocol = _hub.Services.GetRequiredService<SharingProtocol>();
        var concern = JsonSerializer.Deserialize<Concern>(LifecycleMessages.ConcernNamingVehicle(child, "MN78 OPQ"), ContractJson.Options)!;
        var raised = new ConcernRaised { TrackingId = Guid.NewGuid(), Agency = agency, ReceivedAt = decidedAt, Concern = concern with { Agency = agency } };
        var draft = new DecisionDraft(raised, raised.TrackingId, protocol.Evaluate(raised, ProtocolContext.At(decidedAt)),
            _hub.Services.GetRequiredService<ChildKeys>().For(concern.Child), decidedAt, []);
        await using var db = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        var alerts = Assert.Single(await index.AddAsync(db, [draft], CancellationToken.None));
        db.Deliveries.AddRange(alerts);
        await db.SaveChangesAsync();
        return alerts;
    }

    [Fact]
    public async Task Should_not_update_for_a_child_alone_in_the_window_and_detect_a_new_pattern_afresh()
    {
        var january = DateTimeOffset.UtcNow.AddDays(-400);
        Assert.Empty(await DecideAsync("LA-LATE-A", Agency.Police, january));
        Assert.Equal(["PatternOfConcernDetected", "PatternOfConcernDetected"],
            (await DecideAsync("LA-LATE-B", Agency.Education, january.AddDays(1))).Select(a => a.MessageKind));

        var november = january.AddDays(300);
        Assert.Empty(await DecideAsync("LA-LATE-C", Agency.Health, november));

        var fresh = await DecideAsync("LA-LATE-D", Agency.Police, november.AddDays(2));
        Assert.Equal(["PatternOfConcernDetected", "PatternOfConcernDetected"], fresh.Select(a => a.MessageKind));
        var detected = JsonDocument.Parse(fresh[0].Payload).RootElement;
        Assert.Equal(2, detected.GetProperty("childKeys").GetArrayLength()); // C and D, not January's A and B
        var childKeys = _hub.Services.GetRequiredService<ChildKeys>();
        Assert.Equal(new[] { "LA-LATE-C", "LA-LATE-D" }.Select(c => childKeys.For(new ChildDetails { LocalChildId = c })).Order(),
            detected.GetProperty("childKeys").EnumerateArray().Select(c => c.GetString()).Order());
    }
}
