using IntegrationHub.Lifecycle;
using IntegrationHub.Persistence;
using IntegrationHub.Testing;
using IntegrationHub.Tests;
using IntegrationHub.Tests.Lifecycle;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// Npgsql writes only UTC to <c>timestamptz</c>. A working-day deadline worked out in British Summer Time (+01:00), and a
/// found report sent with +01:00, must still be stored: before, every concern with a MASH or LADO clock failed to be
/// decided from late March to late October, and such a found report never started its clock.
/// </summary>
[Collection(RealServices.Name)]
[Trait("Category", "Integration")]
public sealed class When_clocks_run_in_summer_time_on_PostgreSQL(PostgresFixture postgres)
{
    [Fact]
    public async Task Should_decide_a_concern_with_a_MASH_clock_and_start_a_clock_sent_at_plus_one_hour()
    {
        var friday = new DateTimeOffset(2026, 8, 28, 14, 0, 0, TimeSpan.Zero); // 15:00 BST
        var clock = new FakeTimeProvider(friday);
        using var hub = new HubFactory(RealHub.Settings(rabbit: null, await postgres.CreateDatabaseAsync("summer")), services: s => s.AddSingleton<TimeProvider>(clock));
        var police = hub.ClientFor("police");
        var operations = hub.ClientFor("operations");

        var found = await police.PostLifecycleAsync("/api/v1/found-reports", LifecycleMessages.Found("WI-PG-BST-1", "LA-PG-BST-1", friday.AddHours(-2)));
        await operations.WaitForEpisodeAsync(found.EpisodeId, e => e.State() == "InterviewRequested");
        var interview = await hub.ClientFor("health").PostLifecycleAsync("/api/v1/return-interviews",
            LifecycleMessages.Interview("WI-PG-BST-1", "LA-PG-BST-1", friday, discloses: true));
        var concernId = EpisodeIds.ConcernFromInterview(interview.TrackingId);
        var decision = await operations.WaitForDecisionAsync(concernId);
        var mash = decision.GetProperty("deadlines").EnumerateArray().Single(d => d.GetProperty("kind").GetString() == "MashDecision");
        Assert.Equal(new DateTimeOffset(2026, 9, 1, 14, 0, 0, TimeSpan.Zero), mash.GetProperty("dueAt").GetDateTimeOffset());

        var body = LifecycleMessages.Found("WI-PG-BST-2", "LA-PG-BST-2", friday).Replace("2026-08-28T14:00:00Z", "2026-08-28T15:00:00+01:00", StringComparison.Ordinal);
        var plusOne = await police.PostLifecycleAsync("/api/v1/found-reports", body);
        await operations.WaitForEpisodeAsync(plusOne.EpisodeId, e => e.State() == "InterviewRequested");
        await using var db = await hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        var stored = await db.Deadlines.AsNoTracking().SingleAsync(d => d.TrackingId == plusOne.TrackingId);
        Assert.Equal(friday.AddHours(72), stored.DueAt);
    }
}
