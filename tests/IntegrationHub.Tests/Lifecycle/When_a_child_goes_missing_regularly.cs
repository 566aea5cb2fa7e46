using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Tests.Lifecycle;

/// <summary>MIS-01 (handbook 14): three episodes in 90 days put the child on the month's MARP review list, and MARP is told once.</summary>
public sealed class When_a_child_goes_missing_regularly : IDisposable
{
    private const string MarpKey = "test-marp-key";
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly HubFactory _hub;

    public When_a_child_goes_missing_regularly() =>
        _hub = new HubFactory(HubFactory.WithHourlyBackgroundLoops(new Dictionary<string, string?> { ["Hub:Recipients:marp:ApiKey"] = MarpKey }),
            services: s => s.AddSingleton<TimeProvider>(_clock));

    public void Dispose() => _hub.Dispose();

    private async Task<int> ReviewNoticesAsync()
    {
        await using var db = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        return await db.Deliveries.CountAsync(d => d.MessageKind == "ChildAddedToMarpReviewList" && d.Queue == "marp.cases");
    }

    private async Task MissingAndFoundAsync(HttpClient police, HttpClient operations, string reference, string child)
    {
        var accepted = await police.PostLifecycleAsync("/api/v1/missing-reports", LifecycleMessages.Missing(reference, child, _clock.GetUtcNow().AddHours(-1)));
        await operations.WaitForEpisodeAsync(accepted.EpisodeId, e => e.Steps().Contains("ReportedMissing"));
        _clock.Advance(TimeSpan.FromHours(5));
        await police.PostLifecycleAsync("/api/v1/found-reports", LifecycleMessages.Found(reference, child, _clock.GetUtcNow()));
        await operations.WaitForEpisodeAsync(accepted.EpisodeId, e => e.State() == "InterviewRequested");
    }

    [Fact]
    public async Task Should_list_the_child_for_the_month_once_with_identity_only_for_MARP()
    {
        var police = _hub.ClientFor("police");
        var operations = _hub.ClientFor("operations");

        await MissingAndFoundAsync(police, operations, "WI-RM-1", "LA-RM-1");
        _clock.Advance(TimeSpan.FromDays(3));
        await MissingAndFoundAsync(police, operations, "WI-RM-2", "LA-RM-1");
        await MissingAndFoundAsync(police, operations, "WI-RM-X", "LA-RM-OTHER");
        Assert.Equal(0, await ReviewNoticesAsync());

        _clock.Advance(TimeSpan.FromDays(3));
        await MissingAndFoundAsync(police, operations, "WI-RM-3", "LA-RM-1");
        Assert.Equal(1, await ReviewNoticesAsync());
        _clock.Advance(TimeSpan.FromDays(2));
        await MissingAndFoundAsync(police, operations, "WI-RM-4", "LA-RM-1");
        Assert.Equal(1, await ReviewNoticesAsync());

        var forOperators = await operations.GetFromJsonAsync<JsonElement>("/api/v1/marp/review-list?month=2026-12", ContractJson.Options);
        var entry = Assert.Single(forOperators.GetProperty("children").EnumerateArray());
        Assert.StartsWith("ck_", entry.GetProperty("childKey").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, entry.GetProperty("episodeCount").GetInt32());
        Assert.True(!entry.TryGetProperty("child", out var child) || child.ValueKind == JsonValueKind.Null);
        Assert.DoesNotContain("LA-RM-1", forOperators.GetRawText(), StringComparison.Ordinal);

        var marp = _hub.CreateClient();
        marp.DefaultRequestHeaders.Add("X-Api-Key", MarpKey);
        var forMarp = await marp.GetFromJsonAsync<JsonElement>("/api/v1/marp/review-list?month=2026-12", ContractJson.Options);
        Assert.Equal("LA-RM-1", forMarp.GetProperty("children")[0].GetProperty("child").GetProperty("localChildId").GetString());

        var november = await operations.GetFromJsonAsync<JsonElement>("/api/v1/marp/review-list?month=2026-11", ContractJson.Options);
        Assert.Empty(november.GetProperty("children").EnumerateArray());
        using var agencyResponse = await police.GetAsync("/api/v1/marp/review-list?month=2026-12");
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, agencyResponse.StatusCode);
    }

    [Fact]
    public async Task Should_tell_the_missing_coordinator_and_MARP_about_a_child_at_known_CSE_risk_without_naming_the_child_to_MARP()
    {
        var police = _hub.ClientFor("police");
        var accepted = await police.PostLifecycleAsync("/api/v1/missing-reports", LifecycleMessages.Missing("WI-CSE-1", "LA-CSE-1", Start, knownCse: true));
        var decision = await police.WaitForDecisionAsync(accepted.TrackingId);
        Assert.Contains("MIS-05", decision.RuleIds());

        await using var db = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        var deliveries = await db.Deliveries.AsNoTracking().Where(d => d.TrackingId == accepted.TrackingId).ToListAsync();
        Assert.Equal(["marp.cases", "missing.coordinator"], deliveries.Select(d => d.Queue).Order());
        Assert.Contains("LA-CSE-1", deliveries.Single(d => d.Queue == "missing.coordinator").Payload, StringComparison.Ordinal);
        Assert.DoesNotContain("LA-CSE-1", deliveries.Single(d => d.Queue == "marp.cases").Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_list_the_child_in_the_local_month_when_the_episode_comes_just_after_midnight_in_summer_time()
    {
        var police = _hub.ClientFor("police");
        var operations = _hub.ClientFor("operations");
        _clock.SetUtcNow(new DateTimeOffset(2027, 5, 20, 10, 0, 0, TimeSpan.Zero));
        await MissingAndFoundAsync(police, operations, "WI-BSTM-1", "LA-BSTM-1");
        _clock.SetUtcNow(new DateTimeOffset(2027, 5, 25, 10, 0, 0, TimeSpan.Zero));
        await MissingAndFoundAsync(police, operations, "WI-BSTM-2", "LA-BSTM-1");

        _clock.SetUtcNow(new DateTimeOffset(2027, 5, 31, 23, 30, 0, TimeSpan.Zero)); // 00:30 BST on Tuesday 1 June 2027
        var third = await police.PostLifecycleAsync("/api/v1/missing-reports", LifecycleMessages.Missing("WI-BSTM-3", "LA-BSTM-1", _clock.GetUtcNow().AddMinutes(-20)));
        await operations.WaitForEpisodeAsync(third.EpisodeId, e => e.Steps().Contains("AddedToMarpReviewList"));

        var june = await operations.GetFromJsonAsync<JsonElement>("/api/v1/marp/review-list?month=2027-06", ContractJson.Options);
        Assert.Equal(3, Assert.Single(june.GetProperty("children").EnumerateArray()).GetProperty("episodeCount").GetInt32());
        var may = await operations.GetFromJsonAsync<JsonElement>("/api/v1/marp/review-list?month=2027-05", ContractJson.Options);
        Assert.Empty(may.GetProperty("children").EnumerateArray());
        var console = await operations.GetFromJsonAsync<JsonElement>("/api/v1/operations/marp-review", ContractJson.Options);
        Assert.Equal("2027-06", console.GetProperty("month").GetString()); // the console opens on the local month too
    }

    [Fact]
    public async Task Should_count_the_reported_episode_when_the_police_clock_puts_last_seen_a_little_in_the_future()
    {
        var police = _hub.ClientFor("police");
        var operations = _hub.ClientFor("operations");
        await MissingAndFoundAsync(police, operations, "WI-SKEW-1", "LA-SKEW-1");
        _clock.Advance(TimeSpan.FromDays(3));
        await MissingAndFoundAsync(police, operations, "WI-SKEW-2", "LA-SKEW-1");
        _clock.Advance(TimeSpan.FromDays(3));

        var third = await police.PostLifecycleAsync("/api/v1/missing-reports", LifecycleMessages.Missing("WI-SKEW-3", "LA-SKEW-1", _clock.GetUtcNow().AddMinutes(3)));
        var episode = await operations.WaitForEpisodeAsync(third.EpisodeId, e => e.Steps().Contains("ReportedMissing"));

        Assert.Contains("AddedToMarpReviewList", episode.Steps());
        Assert.Equal(_clock.GetUtcNow(), episode.GetProperty("startedAt").GetDateTimeOffset()); // started when received, not 3 minutes ahead
        Assert.Equal(1, await ReviewNoticesAsync());
    }
}
