using System.Net;
using IntegrationHub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Tests.Lifecycle;

/// <summary>
/// A return interview is matched to its episode by police reference. One that gives the reference of another child's
/// episode (a typo, or an agency claiming a clock that is not its own) must not meet that child's 72-hour clock, send
/// its form to the police as that child's, or let the sender read the episode; the sender is warned, and what the
/// interview disclosed still goes through the protocol (RI-01).
/// </summary>
public sealed class When_a_return_interview_names_another_childs_episode : IDisposable
{
    private readonly HubFactory _hub = new();

    public void Dispose() => _hub.Dispose();

    [Fact]
    public async Task Should_leave_that_episode_and_its_clock_alone_warn_the_sender_and_still_raise_the_findings()
    {
        var police = _hub.ClientFor("police");
        var education = _hub.ClientFor("education");
        var operations = _hub.ClientFor("operations");
        var returnedAt = DateTimeOffset.UtcNow.AddHours(-2);
        await police.PostLifecycleAsync("/api/v1/missing-reports", LifecycleMessages.Missing("WI-MM-1", "LA-MM-1", returnedAt.AddHours(-30), from: "Care"));
        var found = await police.PostLifecycleAsync("/api/v1/found-reports", LifecycleMessages.Found("WI-MM-1", "LA-MM-1", returnedAt, from: "Care"));
        await operations.WaitForEpisodeAsync(found.EpisodeId, e => e.State() == "InterviewRequested");

        var interview = await education.PostLifecycleAsync("/api/v1/return-interviews",
            LifecycleMessages.Interview("WI-MM-1", "LA-OTHER-CHILD", DateTimeOffset.UtcNow, discloses: true));

        var decision = await education.WaitForDecisionAsync(interview.TrackingId);
        var warning = Assert.Single(decision.GetProperty("warnings").EnumerateArray());
        Assert.Equal("episode-of-another-child", warning.GetProperty("code").GetString());
        Assert.Contains("RI-01", decision.RuleIds()); // the disclosure is raised as a concern all the same
        Assert.DoesNotContain("MIS-02", decision.RuleIds());
        var episode = await operations.WaitForEpisodeAsync(found.EpisodeId, e => e.Steps().Contains("InterviewForAnotherChild"));
        Assert.Equal("InterviewRequested", episode.State());
        Assert.Equal("Open", episode.GetProperty("clock").GetProperty("state").GetString());
        Assert.DoesNotContain("ReturnInterviewCompleted", episode.Steps());
        using (var read = await education.GetAsync($"/api/v1/missing-episodes/{found.EpisodeId}"))
            Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        await using (var db = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync())
            Assert.False(await db.Deliveries.AnyAsync(d => d.TrackingId == interview.TrackingId && d.MessageKind == "ReturnInterviewShared"));

        // The right child's interview then meets the clock, and its sender may read the episode.
        var right = await education.PostLifecycleAsync("/api/v1/return-interviews", LifecycleMessages.Interview("WI-MM-1", "LA-MM-1", DateTimeOffset.UtcNow));
        episode = await operations.WaitForEpisodeAsync(found.EpisodeId, e => e.State() == "InterviewCompleted");
        Assert.Equal("Met", episode.GetProperty("clock").GetProperty("state").GetString());
        Assert.Contains("MIS-02", (await education.WaitForDecisionAsync(right.TrackingId)).RuleIds());
        using (var read = await education.GetAsync($"/api/v1/missing-episodes/{found.EpisodeId}"))
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }
}
