using System.Text.Json;
using IntegrationHub.Lifecycle.Deadlines;
using IntegrationHub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Tests.Lifecycle;

/// <summary>Handbook 14.1: the 72-hour return-interview clock, its escalation (MIS-04) and the episode's history, on the embedded default.</summary>
public sealed class When_a_child_goes_missing_and_returns : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly HubFactory _hub;

    public When_a_child_goes_missing_and_returns() =>
        _hub = new HubFactory(HubFactory.WithHourlyBackgroundLoops(new Dictionary<string, string?> { ["Hub:Lifecycle:EscalationGrace"] = "12:00:00" }),
            services: s => s.AddSingleton<TimeProvider>(_clock));

    public void Dispose() => _hub.Dispose();

    private async Task<int> EscalationsAsync()
    {
        await using var db = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        return await db.DeadlineEscalations.CountAsync();
    }

    [Fact]
    public async Task Should_escalate_at_72_00_not_71_59_then_to_the_MASH_manager_and_record_a_late_interview()
    {
        var police = _hub.ClientFor("police");
        var operations = _hub.ClientFor("operations");
        var sweeper = _hub.Services.GetRequiredService<DeadlineSweeper>();

        var missing = await police.PostLifecycleAsync("/api/v1/missing-reports", LifecycleMessages.Missing("WI-EP-1", "LA-EP-1", Start.AddHours(-30), from: "Care"));
        await operations.WaitForEpisodeAsync(missing.EpisodeId, e => e.State() == "Missing");
        _clock.Advance(TimeSpan.FromHours(1));
        var returnedAt = _clock.GetUtcNow();
        var found = await police.PostLifecycleAsync("/api/v1/found-reports", LifecycleMessages.Found("WI-EP-1", "LA-EP-1", returnedAt, from: "Care"));
        Assert.Equal(missing.EpisodeId, found.EpisodeId);
        var episode = await operations.WaitForEpisodeAsync(missing.EpisodeId, e => e.State() == "InterviewRequested");

        var clock = episode.GetProperty("clock");
        Assert.Equal(returnedAt.AddHours(72), clock.GetProperty("dueAt").GetDateTimeOffset());
        Assert.True(clock.GetProperty("mandatory").GetBoolean());
        Assert.Contains("MissingOver24Hours", clock.GetProperty("triggers").EnumerateArray().Select(t => t.GetString()));

        _clock.Advance(TimeSpan.FromHours(71) + TimeSpan.FromMinutes(59));
        await sweeper.SweepAsync(CancellationToken.None);
        Assert.Equal(0, await EscalationsAsync());
        Assert.Equal("InterviewRequested", (await operations.WaitForEpisodeAsync(missing.EpisodeId, _ => true)).State());

        _clock.Advance(TimeSpan.FromMinutes(1));
        await sweeper.SweepAsync(CancellationToken.None);
        episode = await operations.WaitForEpisodeAsync(missing.EpisodeId, e => e.State() == "InterviewOverdue");
        Assert.Equal(1, await EscalationsAsync());
        await sweeper.SweepAsync(CancellationToken.None);
        Assert.Equal(1, await EscalationsAsync());

        _clock.Advance(TimeSpan.FromHours(12));
        await sweeper.SweepAsync(CancellationToken.None);
        Assert.Equal(2, await EscalationsAsync());
        _clock.Advance(TimeSpan.FromDays(3));
        await sweeper.SweepAsync(CancellationToken.None);
        Assert.Equal(2, await EscalationsAsync());

        var interviewer = _hub.ClientFor("health");
        await interviewer.PostLifecycleAsync("/api/v1/return-interviews", LifecycleMessages.Interview("WI-EP-1", "LA-EP-1", _clock.GetUtcNow()));
        episode = await operations.WaitForEpisodeAsync(missing.EpisodeId, e => e.State() == "InterviewCompleted");

        Assert.Equal(
            ["ReportedMissing", "Returned", "ReturnInterviewRequested", "ReturnInterviewOverdue", "ReturnInterviewEscalated", "ReturnInterviewCompleted",
             "InterviewFormSentToPolice"],
            episode.Steps());
        var times = episode.GetProperty("history").EnumerateArray().Select(s => s.GetProperty("at").GetDateTimeOffset()).ToList();
        Assert.Equal(times.Order().ToList(), times);
        Assert.Equal(returnedAt.AddHours(72), times[3]);
        clock = episode.GetProperty("clock");
        Assert.Equal("Met", clock.GetProperty("state").GetString());
        Assert.True(clock.GetProperty("late").GetBoolean());
        Assert.Equal(["SocialWorker", "MashManager"], clock.GetProperty("escalations").EnumerateArray().Select(e => e.GetProperty("escalatedTo").GetString()));

        // Nothing more to escalate once the interview is done.
        _clock.Advance(TimeSpan.FromDays(10));
        await sweeper.SweepAsync(CancellationToken.None);
        Assert.Equal(2, await EscalationsAsync());
        Assert.DoesNotContain(_hub.Logs, l => l.Contains("Testchild", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Care", "Completed", true)]
    [InlineData("Care", "Declined", false)]
    [InlineData("Home", "Completed", false)]
    public async Task Should_send_the_completed_form_of_a_child_missing_from_care_to_the_police_once(string from, string outcome, bool sent)
    {
        var police = _hub.ClientFor("police");
        var reference = $"WI-FORM-{from}-{outcome}";
        await police.PostLifecycleAsync("/api/v1/found-reports", LifecycleMessages.Found(reference, "LA-FORM", Start, from: from));
        var interview = await _hub.ClientFor("health").PostLifecycleAsync("/api/v1/return-interviews",
            LifecycleMessages.Interview(reference, "LA-FORM", Start.AddHours(20), outcome));
        await _hub.ClientFor("operations").WaitForEpisodeAsync(interview.EpisodeId, e => e.State() != "InterviewRequested");

        await using var db = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        var forms = await db.Deliveries.AsNoTracking().Where(d => d.MessageKind == "ReturnInterviewShared" && d.TrackingId == interview.TrackingId).ToListAsync();
        Assert.Equal(sent ? 1 : 0, forms.Count);
        if (!sent) return;
        Assert.Equal("police.intelligence", forms[0].Queue);
        var body = JsonDocument.Parse(forms[0].Payload).RootElement;
        Assert.Equal("MIS-02", body.GetProperty("ruleId").GetString());
        Assert.Equal("Stayed with a friend.", body.GetProperty("interview").GetProperty("findings").GetString());
        var decision = await _hub.ClientFor("health").WaitForDecisionAsync(interview.TrackingId);
        Assert.Contains("Police", decision.Recipients());
    }

    [Fact]
    public async Task Should_send_the_overdue_notice_to_MASH_once_per_level()
    {
        var police = _hub.ClientFor("police");
        var operations = _hub.ClientFor("operations");
        var accepted = await police.PostLifecycleAsync("/api/v1/found-reports", LifecycleMessages.Found("WI-EP-2", "LA-EP-2", Start));
        await operations.WaitForEpisodeAsync(accepted.EpisodeId, e => e.State() == "InterviewRequested");
        _clock.Advance(TimeSpan.FromHours(72));
        var sweeper = _hub.Services.GetRequiredService<DeadlineSweeper>();
        await Task.WhenAll(sweeper.SweepAsync(CancellationToken.None), sweeper.SweepAsync(CancellationToken.None), sweeper.SweepAsync(CancellationToken.None));

        await using var db = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        var overdue = await LifecycleMessages.EventuallyAsync(
            () => db.Deliveries.AsNoTracking().Where(d => d.MessageKind == "DeadlineOverdue" && d.TrackingId == accepted.TrackingId).ToListAsync(),
            l => l.Count > 0 && l.All(d => d.SentAt != null), "the overdue notice to be sent");
        var notice = Assert.Single(overdue);
        Assert.Equal("mash.referrals", notice.Queue);
        var body = JsonDocument.Parse(notice.Payload).RootElement;
        Assert.Equal(1, body.GetProperty("escalationLevel").GetInt32());
        Assert.Equal("SocialWorker", body.GetProperty("escalatedTo").GetString());
        Assert.Contains("MIS-04", body.GetProperty("ruleIds").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Should_refuse_a_missing_report_from_an_agency_other_than_the_police()
    {
        using var content = new StringContent(LifecycleMessages.Missing("WI-EP-3", "LA-EP-3", Start), System.Text.Encoding.UTF8, "application/json");
        using var response = await _hub.ClientFor("education").PostAsync("/api/v1/missing-reports", content);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
    }
}
