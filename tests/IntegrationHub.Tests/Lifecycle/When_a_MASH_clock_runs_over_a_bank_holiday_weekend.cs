using System.Net.Http.Json;
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
/// One working day (Working Together 2023; PROTOCOL "MASH decisions"): a return interview on Friday afternoon discloses
/// exploitation; Monday 31 August 2026 is the summer bank holiday, so the MASH decision is due on Tuesday afternoon, not
/// before. Nothing is configured: the England and Wales rules, the default, give the bank holiday.
/// </summary>
public sealed class When_a_MASH_clock_runs_over_a_bank_holiday_weekend : IDisposable
{
    private static readonly DateTimeOffset FridayAfternoon = new(2026, 8, 28, 15, 0, 0, TimeSpan.FromHours(1));
    private readonly FakeTimeProvider _clock = new(FridayAfternoon);
    private readonly HubFactory _hub;

    public When_a_MASH_clock_runs_over_a_bank_holiday_weekend() =>
        _hub = new HubFactory(HubFactory.WithHourlyBackgroundLoops(new Dictionary<string, string?>()),
            services: s => s.AddSingleton<TimeProvider>(_clock));

    public void Dispose() => _hub.Dispose();

    private async Task<List<DeadlineEscalationRecord>> MashEscalationsAsync(Guid concernId)
    {
        await using var db = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        var deadline = await db.Deadlines.AsNoTracking().SingleAsync(d => d.TrackingId == concernId && d.Kind == "MashDecision");
        return await db.DeadlineEscalations.AsNoTracking().Where(e => e.DeadlineId == deadline.Id).ToListAsync();
    }

    [Fact]
    public async Task Should_escalate_the_MASH_decision_on_Tuesday_and_stop_once_operations_record_it_met()
    {
        var police = _hub.ClientFor("police");
        var operations = _hub.ClientFor("operations");
        var found = await police.PostLifecycleAsync("/api/v1/found-reports", LifecycleMessages.Found("WI-BH-1", "LA-BH-1", FridayAfternoon.AddHours(-2)));
        await operations.WaitForEpisodeAsync(found.EpisodeId, e => e.State() == "InterviewRequested");
        var interview = await _hub.ClientFor("health").PostLifecycleAsync("/api/v1/return-interviews",
            LifecycleMessages.Interview("WI-BH-1", "LA-BH-1", FridayAfternoon, discloses: true));
        await operations.WaitForEpisodeAsync(found.EpisodeId, e => e.Steps().Contains("ConcernRaisedFromFindings"));
        var concernId = EpisodeIds.ConcernFromInterview(interview.TrackingId);
        var decision = await operations.WaitForDecisionAsync(concernId);
        var due = decision.GetProperty("deadlines").EnumerateArray().Single(d => d.GetProperty("kind").GetString() == "MashDecision")
            .GetProperty("dueAt").GetDateTimeOffset();
        Assert.Equal(new DateTimeOffset(2026, 9, 1, 15, 0, 0, TimeSpan.FromHours(1)), due);

        var sweeper = _hub.Services.GetRequiredService<DeadlineSweeper>();
        var gauge = _hub.Services.GetRequiredService<DeadlineQueries>(); // hub.deadlines.overdue
        _clock.SetUtcNow(new DateTimeOffset(2026, 8, 31, 23, 59, 0, TimeSpan.FromHours(1))); // bank holiday Monday, late
        await sweeper.SweepAsync(CancellationToken.None);
        Assert.Empty(await MashEscalationsAsync(concernId));
        Assert.Equal(0, await gauge.OverdueCountAsync(CancellationToken.None)); // the interview's clock was met on Friday
        var running = (await gauge.SnapshotAsync(30, CancellationToken.None)).Deadlines;
        var mash = Assert.Single(running, d => d.TrackingId == concernId);
        Assert.Equal(("MashDecision", false, due), (mash.Kind, mash.Overdue, mash.DueAt));
        Assert.DoesNotContain(running, d => d.TrackingId == found.TrackingId); // met: off the list

        _clock.SetUtcNow(due);
        await sweeper.SweepAsync(CancellationToken.None);
        var escalation = Assert.Single(await MashEscalationsAsync(concernId));
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await gauge.OverdueCountAsync(CancellationToken.None));
        var overdue = await gauge.SnapshotAsync(30, CancellationToken.None);
        Assert.True(Assert.Single(overdue.Deadlines, d => d.TrackingId == concernId).Overdue);
        Assert.Equal(1, overdue.Groups.Sum(g => g.Overdue));
        Assert.Equal("SocialWorker", escalation.EscalatedTo);

        var deadlineId = (await operations.GetFromJsonAsync<List<System.Text.Json.JsonElement>>("/api/v1/deadlines?state=Overdue"))!
            .Single(d => d.GetProperty("trackingId").GetGuid() == concernId).GetProperty("id").GetGuid();
        using (var met = await operations.PostAsync($"/api/v1/deadlines/{deadlineId}/met", null))
            Assert.Equal(System.Net.HttpStatusCode.OK, met.StatusCode);
        _clock.Advance(TimeSpan.FromDays(3));
        await sweeper.SweepAsync(CancellationToken.None);
        Assert.Single(await MashEscalationsAsync(concernId));
        Assert.Equal(0, await gauge.OverdueCountAsync(CancellationToken.None));
        Assert.DoesNotContain((await gauge.SnapshotAsync(30, CancellationToken.None)).Deadlines, d => d.TrackingId == concernId);
    }
}
