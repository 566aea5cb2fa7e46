using IntegrationHub.Lifecycle;
using IntegrationHub.Lifecycle.Deadlines;
using IntegrationHub.Operations.Deadlines;
using IntegrationHub.Persistence;
using IntegrationHub.Persistence.Lifecycle;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Tests.Lifecycle;

/// <summary>
/// In British Summer Time a working-day deadline is worked out at +01:00, and an agency may send its times with +01:00.
/// The host's clock is UTC. Each deadline must fall due at its instant, not an hour late: times are stored as UTC
/// (SQLite here; PostgreSQL in the integration tests).
/// </summary>
public sealed class When_clocks_run_in_summer_time : IDisposable
{
    private static readonly DateTimeOffset June = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(June);
    private readonly HubFactory _hub;

    public When_clocks_run_in_summer_time() =>
        _hub = new HubFactory(HubFactory.WithHourlyBackgroundLoops(new Dictionary<string, string?>()), services: s => s.AddSingleton<TimeProvider>(_clock));

    public void Dispose() => _hub.Dispose();

    private async Task<(DeadlineRecord Deadline, int Escalations)> ClockOfAsync(Guid trackingId)
    {
        await using var db = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        var deadline = await db.Deadlines.AsNoTracking().SingleAsync(d => d.TrackingId == trackingId);
        return (deadline, await db.DeadlineEscalations.CountAsync(e => e.DeadlineId == deadline.Id));
    }

    private async Task SweepAsync() => await _hub.Services.GetRequiredService<DeadlineSweeper>().SweepAsync(CancellationToken.None);

    [Fact]
    public async Task Should_escalate_a_return_interview_clock_sent_at_plus_one_hour_when_it_falls_due()
    {
        var body = LifecycleMessages.Found("WI-BST-1", "LA-BST-1", June).Replace("2026-06-01T10:00:00Z", "2026-06-01T11:00:00+01:00", StringComparison.Ordinal);
        var found = await _hub.ClientFor("police").PostLifecycleAsync("/api/v1/found-reports", body);
        await _hub.ClientFor("operations").WaitForEpisodeAsync(found.EpisodeId, e => e.State() == "InterviewRequested");

        _clock.SetUtcNow(June.AddHours(72).AddMinutes(-1));
        await SweepAsync();
        Assert.Equal(0, (await ClockOfAsync(found.TrackingId)).Escalations);
        _clock.SetUtcNow(June.AddHours(72));
        await SweepAsync();

        var (deadline, escalations) = await ClockOfAsync(found.TrackingId);
        // Overdue from the instant it falls due, on the board and the gauge as for the sweeper.
        Assert.Equal(1, await _hub.Services.GetRequiredService<DeadlineQueries>().OverdueCountAsync(CancellationToken.None));
        Assert.Equal(June.AddHours(72), deadline.DueAt);
        Assert.Equal(TimeSpan.Zero, deadline.DueAt.Offset);
        Assert.Equal(1, escalations);
    }

    [Fact]
    public async Task Should_escalate_a_MASH_decision_due_at_15_00_BST_at_14_00_UTC()
    {
        var friday = new DateTimeOffset(2026, 8, 28, 14, 0, 0, TimeSpan.Zero); // 15:00 BST
        _clock.SetUtcNow(friday);
        var found = await _hub.ClientFor("police").PostLifecycleAsync("/api/v1/found-reports", LifecycleMessages.Found("WI-BST-2", "LA-BST-2", friday.AddHours(-2)));
        await _hub.ClientFor("operations").WaitForEpisodeAsync(found.EpisodeId, e => e.State() == "InterviewRequested");
        var interview = await _hub.ClientFor("health").PostLifecycleAsync("/api/v1/return-interviews",
            LifecycleMessages.Interview("WI-BST-2", "LA-BST-2", friday, discloses: true));
        var concernId = EpisodeIds.ConcernFromInterview(interview.TrackingId);
        await _hub.ClientFor("operations").WaitForDecisionAsync(concernId);
        var dueAt = new DateTimeOffset(2026, 9, 1, 14, 0, 0, TimeSpan.Zero); // Tuesday 15:00 BST: Monday 31 August is a bank holiday

        _clock.SetUtcNow(dueAt.AddMinutes(-1));
        await SweepAsync();
        Assert.Equal(0, (await ClockOfAsync(concernId)).Escalations);
        _clock.SetUtcNow(dueAt.AddMinutes(1));
        await SweepAsync();

        var (deadline, escalations) = await ClockOfAsync(concernId);
        Assert.Equal(dueAt, deadline.DueAt);
        Assert.Equal(1, escalations);
    }
}
