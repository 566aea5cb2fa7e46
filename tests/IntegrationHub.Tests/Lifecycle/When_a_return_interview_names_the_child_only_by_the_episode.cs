using IntegrationHub.Lifecycle;
using IntegrationHub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Tests.Lifecycle;

/// <summary>
/// RI-01 and PAT-01: the concern raised from a return interview's findings is about the child of the interview's episode,
/// under the same key the interview was indexed under; the router must not derive another key (or none) from the
/// interview's own identifiers. Found by a pattern review.
/// </summary>
public sealed class When_a_return_interview_names_the_child_only_by_the_episode : IDisposable
{
    private readonly HubFactory _hub = new();

    public void Dispose() => _hub.Dispose();

    [Fact]
    public async Task Should_raise_the_findings_under_the_episodes_child_key()
    {
        var police = _hub.ClientFor("police");
        var education = _hub.ClientFor("education");
        var operations = _hub.ClientFor("operations");
        var returnedAt = DateTimeOffset.UtcNow.AddHours(-2);
        // The police know the child by name and date of birth; the interviewer names her by first name only.
        var missing = await police.PostLifecycleAsync("/api/v1/missing-reports", $$"""
            {
              "child": { "givenName": "Testchild", "familyName": "Ri-Key", "dateOfBirth": "2012-03-04", "sex": "female" },
              "policeReference": "WI-RI-KEY-1", "missingFrom": "Home", "lastSeenAt": "{{LifecycleMessages.Iso(returnedAt.AddHours(-30))}}",
              "riskGrade": "Medium", "knownCseRisk": false, "believedWith": []
            }
            """);
        var episodeChild = (await operations.WaitForEpisodeAsync(missing.EpisodeId, e => e.State() == "Missing")).GetProperty("childKey").GetString();
        Assert.NotNull(episodeChild);

        var interview = await education.PostLifecycleAsync("/api/v1/return-interviews", $$"""
            {
              "child": { "givenName": "Testchild", "sex": "female" },
              "policeReference": "WI-RI-KEY-1", "completedAt": "{{LifecycleMessages.Iso(DateTimeOffset.UtcNow)}}",
              "completedBy": "Independent Interviewer", "independent": true, "outcome": "Completed",
              "findings": "Said an older man drives her to a flat in town.", "signs": [ "CarsWithUnknownAdults" ], "vehicles": [ "RK99 ZZZ" ]
            }
            """);
        Assert.Contains("RI-01", (await education.WaitForDecisionAsync(interview.TrackingId)).RuleIds());

        var raisedId = EpisodeIds.ConcernFromInterview(interview.TrackingId);
        await using var db = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        await LifecycleMessages.EventuallyAsync(() => db.Decisions.AnyAsync(d => d.TrackingId == raisedId), d => d, "the raised concern's decision");
        Assert.Equal(episodeChild, await db.Messages.AsNoTracking().Where(m => m.TrackingId == raisedId).Select(m => m.ChildKey).SingleAsync());
        // Both the interview and the concern it raised link the car to the one child: no pattern from one child.
        var mentions = await db.PatternMentions.AsNoTracking().Where(m => m.Key == "RK99ZZZ").ToListAsync();
        Assert.Equal(new[] { interview.TrackingId, raisedId }.Order(), mentions.Select(m => m.TrackingId).Order());
        Assert.All(mentions, m => Assert.Equal(episodeChild, m.ChildKey));
        Assert.False(await db.Deliveries.AnyAsync(d => d.MessageKind.StartsWith("PatternOfConcern")));
    }
}
