using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using IntegrationHub.Operations.Lifecycle;
using IntegrationHub.Routing;
using IntegrationHub.Tests.Operations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Tests.Lifecycle;

/// <summary>
/// The return interview's clock starts at the found report, so a child whose found report never arrives (lost in the police
/// system, or never sent) stays <c>Missing</c> with no clock at all. Operations see such an episode once it has been open
/// <c>Hub:Lifecycle:OpenEpisodeDays</c> (7) days: on the deadlines page, in <c>GET /api/v1/operations/open-episodes</c> and in
/// the <c>hub.episodes.open_without_found</c> gauge. Metadata only: never the police reference.
/// </summary>
public sealed class When_a_missing_child_has_no_found_report : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly HubFactory _hub;

    public When_a_missing_child_has_no_found_report() =>
        _hub = new HubFactory(HubFactory.WithHourlyBackgroundLoops(new Dictionary<string, string?>()), services: s => s.AddSingleton<TimeProvider>(_clock));

    public void Dispose() => _hub.Dispose();

    private static List<JsonElement> Episodes(JsonElement open) => [.. open.GetProperty("episodes").EnumerateArray()];

    private static Guid Id(JsonElement row) => row.GetProperty("episodeId").GetGuid();

    [Fact]
    public async Task Should_list_an_episode_open_eight_days_with_no_found_report_but_not_a_found_one_or_one_two_days_old()
    {
        var police = _hub.ClientFor("police");
        var operations = _hub.ClientFor("operations");

        // Day 0: two children go missing; one is found the next day.
        var lost = await police.PostLifecycleAsync("/api/v1/missing-reports",
            LifecycleMessages.Missing("WI-OPEN-LOST", "LA-OPEN-1", Start.AddHours(-2), knownCse: true, from: "Care"));
        var foundMissing = await police.PostLifecycleAsync("/api/v1/missing-reports", LifecycleMessages.Missing("WI-OPEN-FOUND", "LA-OPEN-2", Start.AddHours(-2)));
        await operations.WaitForEpisodeAsync(lost.EpisodeId, e => e.State() == "Missing");
        await operations.WaitForEpisodeAsync(foundMissing.EpisodeId, e => e.State() == "Missing");
        _clock.Advance(TimeSpan.FromDays(1));
        await police.PostLifecycleAsync("/api/v1/found-reports", LifecycleMessages.Found("WI-OPEN-FOUND", "LA-OPEN-2", Start.AddDays(1)));
        await operations.WaitForEpisodeAsync(foundMissing.EpisodeId, e => e.State() == "InterviewRequested");

        // Day 6: a third child goes missing; no episode is yet 7 days old.
        _clock.SetUtcNow(Start.AddDays(6));
        var recent = await police.PostLifecycleAsync("/api/v1/missing-reports", LifecycleMessages.Missing("WI-OPEN-RECENT", "LA-OPEN-3", Start.AddDays(6).AddHours(-1)));
        await operations.WaitForEpisodeAsync(recent.EpisodeId, e => e.State() == "Missing");
        var early = await operations.GetJsonAsync("/api/v1/operations/open-episodes");
        Assert.Equal((7, 0), (early.GetProperty("openEpisodeDays").GetInt32(), early.GetProperty("count").GetInt32()));
        Assert.Empty(Episodes(early));

        // Day 8: the first child's episode is 8 days old with no found report; the third is 2 days old.
        _clock.SetUtcNow(Start.AddDays(8));
        var open = await operations.GetJsonAsync("/api/v1/operations/open-episodes");
        Assert.Equal(1, open.GetProperty("count").GetInt32());
        var row = Assert.Single(Episodes(open));
        Assert.Equal(lost.EpisodeId, Id(row));
        Assert.Equal(Start.AddHours(-2), row.GetProperty("startedAt").GetDateTimeOffset());
        Assert.Equal(Start, row.GetProperty("reportedAt").GetDateTimeOffset());
        Assert.Equal(8, row.GetProperty("daysOpen").GetInt32());
        Assert.True(row.GetProperty("knownCseRisk").GetBoolean());
        Assert.True(row.GetProperty("missingFromCare").GetBoolean());
        Assert.Equal(["Police"], row.GetProperty("reportedBy").EnumerateArray().Select(a => a.GetString()!));
        Assert.Equal(lost.TrackingId, row.GetProperty("missingReport").GetGuid());
        Assert.False(string.IsNullOrEmpty(row.GetProperty("childKey").GetString()));
        Assert.DoesNotContain("WI-OPEN", open.ToString(), StringComparison.Ordinal); // the police reference is not shown
        Assert.Equal(1, await _hub.Services.GetRequiredService<LifecycleQueries>().OpenEpisodeCountAsync(CancellationToken.None));

        // The console's deadlines page lists it, with its count, and not the others.
        var console = ConsoleSignIn.For(_hub);
        using (var signedIn = await console.SignInAsync("operator", ConsoleSignIn.Password(_hub, "operator")))
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        using var page = await console.GetAsync("/operations/deadlines");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Missing with no found report after 7 days: 1", html, StringComparison.Ordinal);
        var table = html[html.IndexOf("id=\"open-episodes\"", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("</table>", StringComparison.Ordinal)];
        Assert.Contains(lost.EpisodeId.ToString(), table, StringComparison.Ordinal);
        Assert.Contains($"/operations/messages/{lost.TrackingId}", table, StringComparison.Ordinal);
        Assert.DoesNotContain(foundMissing.EpisodeId.ToString(), table, StringComparison.Ordinal);
        Assert.DoesNotContain(recent.EpisodeId.ToString(), table, StringComparison.Ordinal);
        Assert.DoesNotContain("WI-OPEN", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_count_it_on_the_gauge_without_tags_and_drop_it_when_the_found_report_arrives()
    {
        var police = _hub.ClientFor("police");
        var operations = _hub.ClientFor("operations");
        var meter = _hub.Services.GetRequiredService<HubMetrics>().Meter;
        var seen = new List<(int Value, int Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == "hub.episodes.open_without_found") l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<int>((_, value, tags, _) => { lock (seen) seen.Add((value, tags.Length)); });
        listener.Start();
        int Gauge()
        {
            lock (seen) seen.Clear();
            listener.RecordObservableInstruments();
            lock (seen) return Assert.Single(seen).Value;
        }

        var lost = await police.PostLifecycleAsync("/api/v1/missing-reports", LifecycleMessages.Missing("WI-GAUGE-1", "LA-GAUGE-1", Start));
        await operations.WaitForEpisodeAsync(lost.EpisodeId, e => e.State() == "Missing");
        Assert.Equal(0, Gauge());

        _clock.SetUtcNow(Start.AddDays(8)); // the gauge refreshes every 30 s of the hub's clock
        await LifecycleMessages.EventuallyAsync(() => Task.FromResult(Gauge()), v => v == 1, "the gauge to count the open episode");
        lock (seen) Assert.All(seen, s => Assert.Equal(0, s.Tags));

        await police.PostLifecycleAsync("/api/v1/found-reports", LifecycleMessages.Found("WI-GAUGE-1", "LA-GAUGE-1", Start.AddDays(8)));
        await operations.WaitForEpisodeAsync(lost.EpisodeId, e => e.State() == "InterviewRequested");
        Assert.Empty(Episodes(await operations.GetJsonAsync("/api/v1/operations/open-episodes")));
        _clock.Advance(TimeSpan.FromSeconds(30));
        await LifecycleMessages.EventuallyAsync(() => Task.FromResult(Gauge()), v => v == 0, "the gauge to drop the found episode");
    }
}
