using IntegrationHub.Lifecycle.Deadlines;
using IntegrationHub.Persistence;
using IntegrationHub.Testing;
using IntegrationHub.Tests;
using IntegrationHub.Tests.Lifecycle;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.IntegrationTests;

/// <summary>MIS-04 with scale-out: however many instances sweep, each escalation of each deadline is published exactly once.</summary>
[Collection(RealServices.Name)]
[Trait("Category", "Integration")]
public sealed class When_two_hubs_sweep_one_PostgreSQL_database(PostgresFixture postgres)
{
    private const int Episodes = 6;

    [Fact]
    public async Task Should_publish_each_escalation_exactly_once()
    {
        var database = await postgres.CreateDatabaseAsync("twohubs");
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
        var settings = RealHub.Settings(rabbit: null, database);
        settings["Hub:Lifecycle:EscalationGrace"] = "04:00:00";
        using var first = new HubFactory(settings, services: s => s.AddSingleton<TimeProvider>(clock));
        var police = first.ClientFor("police");
        var operations = first.ClientFor("operations");
        using var second = new HubFactory(settings, services: s => s.AddSingleton<TimeProvider>(clock));
        _ = second.CreateClient(); // starts the second instance on the same database

        var run = Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < Episodes; i++)
        {
            var accepted = await police.PostLifecycleAsync("/api/v1/found-reports", LifecycleMessages.Found($"WI-TWO-{run}-{i}", $"LA-TWO-{i}", clock.GetUtcNow()));
            await operations.WaitForEpisodeAsync(accepted.EpisodeId, e => e.State() == "InterviewRequested");
        }

        var sweepers = new[] { first.Services.GetRequiredService<DeadlineSweeper>(), second.Services.GetRequiredService<DeadlineSweeper>() };
        async Task SweepEverywhereAsync() =>
            await Task.WhenAll(Enumerable.Range(0, 4).SelectMany(_ => sweepers).Select(s => Task.Run(() => s.SweepAsync(CancellationToken.None))));

        // Both instances' background sweepers tick too when the shared clock moves: more contenders, still one winner.
        clock.Advance(TimeSpan.FromHours(72));
        await SweepEverywhereAsync();
        await AssertExactlyOnceAsync(first, levels: 1);

        clock.Advance(TimeSpan.FromHours(4));
        await SweepEverywhereAsync();
        await AssertExactlyOnceAsync(first, levels: 2);

        clock.Advance(TimeSpan.FromDays(3));
        await SweepEverywhereAsync();
        await AssertExactlyOnceAsync(first, levels: 2);
    }

    private static async Task AssertExactlyOnceAsync(HubFactory hub, int levels)
    {
        await using var db = await hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        var escalations = await db.DeadlineEscalations.AsNoTracking().ToListAsync();
        var notices = await db.Deliveries.AsNoTracking().Where(d => d.MessageKind == "DeadlineOverdue").ToListAsync();
        var deadlines = await db.Deadlines.AsNoTracking().ToListAsync();

        Assert.Equal(Episodes, deadlines.Count);
        Assert.All(deadlines, d => Assert.Equal(levels, d.EscalationLevel));
        Assert.Equal(Episodes * levels, escalations.Count);
        Assert.Equal(Episodes * levels, notices.Count);
        Assert.Equal(escalations.Select(e => e.DeliveryId).Order(), notices.Select(n => n.DeliveryId).Order());
        foreach (var group in escalations.GroupBy(e => e.DeadlineId))
            Assert.Equal(Enumerable.Range(1, levels), group.Select(e => e.Level).Order());
    }
}
