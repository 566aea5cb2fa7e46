using System.Text.Json;
using IntegrationHub.Operations.Retention;
using IntegrationHub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Tests.Lifecycle;

/// <summary>
/// Retention erases a decided message's content (<c>PurgedAt</c> set, payload empty). A missing report that comes after
/// the found report, or after a completed return interview, reads that earlier report back: to plan the interview again,
/// or to send the interview's form to the police (MIS-02). Before, it read the erased payload as JSON and failed, so the
/// missing report was never recorded or decided. Now it is, and the episode's history says what could not be done.
/// </summary>
public sealed class When_a_missing_report_comes_after_retention_erased_the_episode : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly HubFactory _hub = new(HubFactory.WithHourlyBackgroundLoops(new Dictionary<string, string?>
    {
        // Found reports and interviews are kept for a millisecond here, so each is past its retention once decided.
        ["Hub:Retention:Kinds:ChildFound"] = "00:00:00.001",
        ["Hub:Retention:Kinds:ReturnInterviewCompleted"] = "00:00:00.001",
    }));

    public void Dispose() => _hub.Dispose();

    private async Task PurgeAsync(Guid trackingId)
    {
        await _hub.Services.GetRequiredService<RetentionPurger>().PurgeAsync(RetentionPurger.System, vacuum: false, CancellationToken.None);
        await using var db = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        var tombstone = await db.Messages.AsNoTracking().SingleAsync(m => m.TrackingId == trackingId);
        Assert.Equal((true, ""), (tombstone.PurgedAt is not null, tombstone.Payload));
    }

    private static string DetailOf(JsonElement episode, string step) =>
        episode.GetProperty("history").EnumerateArray().Single(s => s.GetProperty("event").GetString() == step).GetProperty("detail").GetString()!;

    [Fact]
    public async Task Should_decide_it_and_say_the_return_interview_was_not_planned_again()
    {
        var police = _hub.ClientFor("police");
        var operations = _hub.ClientFor("operations");
        var found = await police.PostLifecycleAsync("/api/v1/found-reports", LifecycleMessages.Found("WI-ERASED-1", "LA-ERASED-1", Now.AddHours(-1)));
        await operations.WaitForEpisodeAsync(found.EpisodeId, e => e.State() == "InterviewRequested");
        await PurgeAsync(found.TrackingId);

        // From care, with a known CSE risk: with the found report at hand this would make the interview mandatory and a priority.
        var missing = await police.PostLifecycleAsync("/api/v1/missing-reports",
            LifecycleMessages.Missing("WI-ERASED-1", "LA-ERASED-1", Now.AddHours(-30), knownCse: true, from: "Care"));
        await police.WaitForDecisionAsync(missing.TrackingId);
        var episode = await operations.WaitForEpisodeAsync(found.EpisodeId, e => e.Steps().Contains("ReturnInterviewNotReplanned"));

        Assert.DoesNotContain("ReturnInterviewReplanned", episode.Steps());
        Assert.Contains($"the found report {found.TrackingId} was erased by retention", DetailOf(episode, "ReturnInterviewNotReplanned"), StringComparison.Ordinal);
        Assert.Equal(("InterviewRequested", false), (episode.State(), episode.GetProperty("clock").GetProperty("mandatory").GetBoolean()));
        Assert.Contains(_hub.Logs, l => l.Contains(
            $"Missing report {missing.TrackingId}: the found report {found.TrackingId} of episode {found.EpisodeId} was purged by retention", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_decide_it_and_say_once_that_the_interviews_form_could_not_be_sent()
    {
        var police = _hub.ClientFor("police");
        var operations = _hub.ClientFor("operations");
        var interview = await _hub.ClientFor("health").PostLifecycleAsync("/api/v1/return-interviews",
            LifecycleMessages.Interview("WI-ERASED-2", "LA-ERASED-2", Now.AddHours(-1)));
        await operations.WaitForEpisodeAsync(interview.EpisodeId, e => e.State() == "InterviewCompleted");
        await PurgeAsync(interview.TrackingId);

        var missing = await police.PostLifecycleAsync("/api/v1/missing-reports", LifecycleMessages.Missing("WI-ERASED-2", "LA-ERASED-2", Now.AddHours(-3), from: "Care"));
        await police.WaitForDecisionAsync(missing.TrackingId);
        var again = await police.PostLifecycleAsync("/api/v1/missing-reports", LifecycleMessages.Missing("WI-ERASED-2", "LA-ERASED-2", Now.AddHours(-3), from: "Care"));
        await police.WaitForDecisionAsync(again.TrackingId);
        var episode = await operations.WaitForEpisodeAsync(interview.EpisodeId, e => e.Steps().Count(s => s == "ReportedMissing") == 2);

        Assert.Equal(1, episode.Steps().Count(s => s == "InterviewFormNotSent"));
        Assert.DoesNotContain("InterviewFormSentToPolice", episode.Steps());
        Assert.Contains($"the return interview {interview.TrackingId} was erased by retention", DetailOf(episode, "InterviewFormNotSent"), StringComparison.Ordinal);
        Assert.Contains(_hub.Logs, l => l.Contains(
            $"Missing report {missing.TrackingId}: the return interview {interview.TrackingId} of episode {interview.EpisodeId} was purged by retention", StringComparison.Ordinal));
        await using var db = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        Assert.False(await db.Deliveries.AnyAsync(d => d.MessageKind == "ReturnInterviewShared"));
    }
}
