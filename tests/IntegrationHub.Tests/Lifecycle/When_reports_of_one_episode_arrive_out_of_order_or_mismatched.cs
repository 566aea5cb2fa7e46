using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Lifecycle.Deadlines;
using IntegrationHub.Persistence;
using IntegrationHub.Persistence.Lifecycle;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Tests.Lifecycle;

/// <summary>
/// The reports of one missing episode come from different systems and may arrive in any order, or quote a reference wrongly.
/// An interview held before the found report arrives meets the clock that report starts; a found report that quotes another
/// child's episode is not attached to it but held on the Failures page. A missing report that comes after the found report
/// never lowers a risk either report recorded, raises the return interview's plan while its clock runs, and tells no one
/// that a child already found is missing.
/// </summary>
public sealed class When_reports_of_one_episode_arrive_out_of_order_or_mismatched : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly HubFactory _hub;

    public When_reports_of_one_episode_arrive_out_of_order_or_mismatched() =>
        _hub = new HubFactory(HubFactory.WithHourlyBackgroundLoops(new Dictionary<string, string?>()), services: s => s.AddSingleton<TimeProvider>(_clock));

    public void Dispose() => _hub.Dispose();

    private async Task<List<DeadlineRecord>> ClocksAsync(Guid episodeId)
    {
        await using var db = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        return await db.Deadlines.AsNoTracking().Where(d => d.EpisodeId == episodeId).ToListAsync();
    }

    [Fact]
    public async Task Should_meet_the_clock_at_once_when_the_interview_came_before_the_found_report_and_escalate_nothing()
    {
        var operations = _hub.ClientFor("operations");
        var interview = await _hub.ClientFor("health").PostLifecycleAsync("/api/v1/return-interviews",
            LifecycleMessages.Interview("WI-ORDER-1", "LA-ORDER-1", Start.AddHours(5)));
        await operations.WaitForEpisodeAsync(interview.EpisodeId, e => e.State() == "InterviewCompleted");

        var found = await _hub.ClientFor("police").PostLifecycleAsync("/api/v1/found-reports", LifecycleMessages.Found("WI-ORDER-1", "LA-ORDER-1", Start));
        var episode = await operations.WaitForEpisodeAsync(found.EpisodeId, e => e.Steps().Contains("ReturnInterviewAlreadyHeld"));
        _clock.SetUtcNow(Start.AddHours(100));
        await _hub.Services.GetRequiredService<DeadlineSweeper>().SweepAsync(CancellationToken.None);

        Assert.Equal("InterviewCompleted", episode.State());
        Assert.DoesNotContain("ReturnInterviewRequested", episode.Steps());
        var clock = Assert.Single(await ClocksAsync(found.EpisodeId));
        Assert.Equal((DeadlineState.Met, Start.AddHours(5), 0), (clock.State, clock.MetAt!.Value, clock.EscalationLevel));
        await using var db = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        Assert.Empty(await db.DeadlineEscalations.Where(e => e.DeadlineId == clock.Id).ToListAsync());
        Assert.False(await db.Deliveries.AnyAsync(d => d.TrackingId == found.TrackingId && d.MessageKind == "ReturnInterviewRequested"));
    }

    [Fact]
    public async Task Should_hold_a_found_report_quoting_another_childs_episode_on_the_failures_page_and_leave_that_episode_alone()
    {
        var police = _hub.ClientFor("police");
        var operations = _hub.ClientFor("operations");
        var first = await police.PostLifecycleAsync("/api/v1/found-reports", LifecycleMessages.Found("WI-MIX-1", "LA-MIX-A", Start.AddHours(-1)));
        await operations.WaitForEpisodeAsync(first.EpisodeId, e => e.State() == "InterviewRequested");

        var other = await police.PostLifecycleAsync("/api/v1/found-reports", LifecycleMessages.Found("WI-MIX-1", "LA-MIX-B", Start));

        JsonElement item = default;
        await LifecycleMessages.EventuallyAsync(async () => await operations.GetFromJsonAsync<JsonElement>("/api/v1/operations/failures"),
            f => f.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("items").EnumerateArray())
                .Any(i => { var hit = i.TryGetProperty("trackingId", out var t) && t.ValueKind == JsonValueKind.String && t.GetGuid() == other.TrackingId; if (hit) item = i; return hit; }),
            "the found report on the failures page");
        Assert.NotEqual(default, item);
        var failures = await operations.GetFromJsonAsync<JsonElement>("/api/v1/operations/failures");
        Assert.Contains(failures.GetProperty("groups").EnumerateArray(), g => g.GetProperty("cause").GetString()!.Length > 0
            && g.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("id").GetGuid() == item.GetProperty("id").GetGuid())
            && g.ToString().Contains("another child", StringComparison.Ordinal));

        var episode = await operations.WaitForEpisodeAsync(first.EpisodeId, _ => true);
        Assert.Equal(1, episode.Steps().Count(s => s == "Returned")); // the first child's return only
        var clock = Assert.Single(await ClocksAsync(first.EpisodeId));
        Assert.Equal((first.TrackingId, DeadlineState.Open), (clock.TrackingId, clock.State));
    }

    [Fact]
    public async Task Should_keep_from_care_and_known_CSE_risk_when_a_later_missing_report_says_otherwise()
    {
        var police = _hub.ClientFor("police");
        var operations = _hub.ClientFor("operations");
        var found = await police.PostLifecycleAsync("/api/v1/found-reports", LifecycleMessages.Found("WI-KEEP-1", "LA-KEEP-1", Start, from: "Care"));
        await operations.WaitForEpisodeAsync(found.EpisodeId, e => e.State() == "InterviewRequested");

        await police.PostLifecycleAsync("/api/v1/missing-reports", LifecycleMessages.Missing("WI-KEEP-1", "LA-KEEP-1", Start.AddHours(-3), knownCse: true));
        await operations.WaitForEpisodeAsync(found.EpisodeId, e => e.Steps().Count(s => s == "ReportedMissing") == 1);
        await police.PostLifecycleAsync("/api/v1/missing-reports", LifecycleMessages.Missing("WI-KEEP-1", "LA-KEEP-1", Start.AddHours(-3), knownCse: false));
        var episode = await operations.WaitForEpisodeAsync(found.EpisodeId, e => e.Steps().Count(s => s == "ReportedMissing") == 2);

        Assert.True(episode.GetProperty("missingFromCare").GetBoolean());
        Assert.True(episode.GetProperty("knownCseRisk").GetBoolean());
        Assert.True(episode.GetProperty("clock").GetProperty("mandatory").GetBoolean());
        Assert.Equal("MIS-02", Assert.Single(await ClocksAsync(found.EpisodeId)).RuleId);
    }

    [Fact]
    public async Task Should_replan_a_running_clock_to_the_stricter_plan_when_the_missing_report_raises_the_risk_after_the_found_report()
    {
        var police = _hub.ClientFor("police");
        var operations = _hub.ClientFor("operations");
        var found = await police.PostLifecycleAsync("/api/v1/found-reports", LifecycleMessages.Found("WI-RAISE-1", "LA-RAISE-1", Start));
        var before = await operations.WaitForEpisodeAsync(found.EpisodeId, e => e.State() == "InterviewRequested");
        Assert.False(before.GetProperty("clock").GetProperty("mandatory").GetBoolean());
        Assert.False(before.GetProperty("clock").GetProperty("priority").GetBoolean());

        var missing = await police.PostLifecycleAsync("/api/v1/missing-reports",
            LifecycleMessages.Missing("WI-RAISE-1", "LA-RAISE-1", Start.AddHours(-30), knownCse: true, from: "Care"));
        var episode = await operations.WaitForEpisodeAsync(found.EpisodeId, e => e.Steps().Contains("ReturnInterviewReplanned"));

        var clock = episode.GetProperty("clock");
        Assert.Equal(("InterviewRequested", "Open"), (episode.State(), clock.GetProperty("state").GetString()));
        Assert.Equal(Start.AddHours(72), clock.GetProperty("dueAt").GetDateTimeOffset()); // the clock keeps running from the return
        Assert.True(clock.GetProperty("mandatory").GetBoolean());
        Assert.True(clock.GetProperty("priority").GetBoolean());
        Assert.Equal(["KnownCseRisk", "MissingOver24Hours"], clock.GetProperty("triggers").EnumerateArray().Select(t => t.GetString()).Order());
        var deadline = Assert.Single(await ClocksAsync(found.EpisodeId));
        Assert.Equal((found.TrackingId, "MIS-02", Start.AddHours(72)), (deadline.TrackingId, deadline.RuleId, deadline.NextEscalationAt!.Value));

        var decision = await police.WaitForDecisionAsync(missing.TrackingId);
        Assert.Contains("MIS-02", decision.RuleIds());
        await using var db = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        var revised = await db.Deliveries.AsNoTracking()
            .SingleAsync(d => d.TrackingId == missing.TrackingId && d.MessageKind == "ReturnInterviewRequested" && d.Queue == "mash.referrals");
        var request = JsonDocument.Parse(revised.Payload).RootElement;
        Assert.Equal((deadline.Id, true, true), (request.GetProperty("deadlineId").GetGuid(), request.GetProperty("mandatory").GetBoolean(), request.GetProperty("priority").GetBoolean()));
    }

    [Fact]
    public async Task Should_leave_a_met_clock_as_it_was_when_the_missing_report_comes_after_the_interview()
    {
        var police = _hub.ClientFor("police");
        var operations = _hub.ClientFor("operations");
        var found = await police.PostLifecycleAsync("/api/v1/found-reports", LifecycleMessages.Found("WI-HELD-1", "LA-HELD-1", Start));
        await operations.WaitForEpisodeAsync(found.EpisodeId, e => e.State() == "InterviewRequested");
        await _hub.ClientFor("health").PostLifecycleAsync("/api/v1/return-interviews", LifecycleMessages.Interview("WI-HELD-1", "LA-HELD-1", Start.AddHours(5)));
        await operations.WaitForEpisodeAsync(found.EpisodeId, e => e.State() == "InterviewCompleted");

        var missing = await police.PostLifecycleAsync("/api/v1/missing-reports", LifecycleMessages.Missing("WI-HELD-1", "LA-HELD-1", Start.AddHours(-30), knownCse: true));
        var episode = await operations.WaitForEpisodeAsync(found.EpisodeId, e => e.Steps().Contains("ReturnInterviewNotReplanned"));

        var clock = episode.GetProperty("clock");
        Assert.Equal(("Met", false), (clock.GetProperty("state").GetString(), clock.GetProperty("priority").GetBoolean()));
        Assert.True(episode.GetProperty("knownCseRisk").GetBoolean());
        await using var db = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        Assert.False(await db.Deliveries.AnyAsync(d => d.TrackingId == missing.TrackingId && d.MessageKind == "ReturnInterviewRequested"));
    }

    [Fact]
    public async Task Should_not_tell_the_coordinator_or_MARP_that_a_child_already_found_is_missing()
    {
        var police = _hub.ClientFor("police");
        var operations = _hub.ClientFor("operations");
        var found = await police.PostLifecycleAsync("/api/v1/found-reports", LifecycleMessages.Found("WI-BACK-1", "LA-BACK-1", Start));
        await operations.WaitForEpisodeAsync(found.EpisodeId, e => e.State() == "InterviewRequested");

        var missing = await police.PostLifecycleAsync("/api/v1/missing-reports", LifecycleMessages.Missing("WI-BACK-1", "LA-BACK-1", Start.AddHours(-3), knownCse: true));
        var decision = await police.WaitForDecisionAsync(missing.TrackingId);
        var episode = await operations.WaitForEpisodeAsync(found.EpisodeId, e => e.Steps().Contains("ReportedMissing"));

        Assert.Contains("ReportedAfterFound", episode.Steps());
        var rule = decision.GetProperty("rulesFired").EnumerateArray().Single(r => r.GetProperty("ruleId").GetString() == "MIS-05");
        Assert.Contains("after the child was found", rule.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("MissingCoordinator", decision.Recipients());
        Assert.DoesNotContain("Marp", decision.Recipients());
        await using var db = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        Assert.False(await db.Deliveries.AnyAsync(d => d.TrackingId == missing.TrackingId && d.MessageKind == "ChildMissingShared"));
        Assert.True(episode.GetProperty("clock").GetProperty("priority").GetBoolean()); // the risk goes with the return interview
    }

    [Fact]
    public async Task Should_send_the_held_interviews_form_to_the_police_once_when_a_later_missing_report_says_from_care()
    {
        var police = _hub.ClientFor("police");
        var operations = _hub.ClientFor("operations");
        var found = await police.PostLifecycleAsync("/api/v1/found-reports", LifecycleMessages.Found("WI-FORM-1", "LA-FORM-1", Start));
        await operations.WaitForEpisodeAsync(found.EpisodeId, e => e.State() == "InterviewRequested");
        var interview = await _hub.ClientFor("health").PostLifecycleAsync("/api/v1/return-interviews",
            LifecycleMessages.Interview("WI-FORM-1", "LA-FORM-1", Start.AddHours(5)));
        await operations.WaitForEpisodeAsync(found.EpisodeId, e => e.State() == "InterviewCompleted");

        var missing = await police.PostLifecycleAsync("/api/v1/missing-reports", LifecycleMessages.Missing("WI-FORM-1", "LA-FORM-1", Start.AddHours(-3), from: "Care"));
        var decision = await police.WaitForDecisionAsync(missing.TrackingId);
        var again = await police.PostLifecycleAsync("/api/v1/missing-reports", LifecycleMessages.Missing("WI-FORM-1", "LA-FORM-1", Start.AddHours(-3), from: "Care"));
        await police.WaitForDecisionAsync(again.TrackingId);
        var episode = await operations.WaitForEpisodeAsync(found.EpisodeId, e => e.Steps().Count(s => s == "ReportedMissing") == 2);

        Assert.Contains("MIS-02", decision.RuleIds());
        Assert.Contains("Police", decision.Recipients());
        Assert.Equal(1, episode.Steps().Count(s => s == "InterviewFormSentToPolice"));
        await using var db = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        var forms = await db.Deliveries.AsNoTracking().Where(d => d.MessageKind == "ReturnInterviewShared").ToListAsync();
        var form = Assert.Single(forms);
        Assert.Equal((missing.TrackingId, "police.intelligence"), (form.TrackingId, form.Queue));
        Assert.Equal(interview.TrackingId, JsonDocument.Parse(form.Payload).RootElement.GetProperty("trackingId").GetGuid());
    }
}
