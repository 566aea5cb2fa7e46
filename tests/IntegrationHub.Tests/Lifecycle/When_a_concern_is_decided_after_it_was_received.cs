using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Routing.Failures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Tests.Lifecycle;

/// <summary>
/// "Within one working day" counts from when the hub received the concern (docs/lifecycle.md), not from when it was
/// decided: a concern received on Friday afternoon and decided on Saturday, after a failure was mended, is still due
/// on Monday afternoon, not Tuesday morning.
/// </summary>
public sealed class When_a_concern_is_decided_after_it_was_received : IDisposable
{
    private static readonly DateTimeOffset FridayAfternoon = new(2026, 12, 4, 16, 50, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(FridayAfternoon);
    private readonly HubFactory _hub;

    public When_a_concern_is_decided_after_it_was_received() =>
        _hub = new HubFactory(HubFactory.WithHourlyBackgroundLoops(new Dictionary<string, string?>()), services: s => s.AddSingleton<TimeProvider>(_clock));

    public void Dispose() => _hub.Dispose();

    [Fact]
    public async Task Should_count_the_MASH_clock_from_its_receipt()
    {
        var police = _hub.ClientFor("police");
        var operations = _hub.ClientFor("operations");
        var faults = _hub.Services.GetRequiredService<RoutingFaultSwitch>();
        faults.Override = true;
        var trackingId = await police.PostConcernAsync(TestConcerns.PoliceConcern());
        var failureId = await LifecycleMessages.EventuallyAsync(async () =>
            {
                var failures = await operations.GetFromJsonAsync<JsonElement>("/api/v1/operations/failures");
                return failures.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("items").EnumerateArray())
                    .Where(i => i.TryGetProperty("trackingId", out var t) && t.ValueKind == JsonValueKind.String && t.GetGuid() == trackingId)
                    .Select(i => i.GetProperty("id").GetGuid()).FirstOrDefault();
            }, id => id != Guid.Empty, "the routing failure");

        _clock.SetUtcNow(FridayAfternoon.AddHours(17)); // Saturday 09:50
        faults.Override = false;
        using (var retry = await operations.PostAsJsonAsync($"/api/v1/operations/failures/{failureId}/retry", new { reason = "mended" }))
            Assert.True(retry.IsSuccessStatusCode, await retry.Content.ReadAsStringAsync());
        var decision = await police.WaitForDecisionAsync(trackingId);

        var mash = decision.GetProperty("deadlines").EnumerateArray().Single(d => d.GetProperty("kind").GetString() == "MashDecision");
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 16, 50, 0, TimeSpan.Zero), mash.GetProperty("dueAt").GetDateTimeOffset());
    }
}
