using System.Text.Json;
using IntegrationHub.Routing.Failures;
using IntegrationHub.Routing.Recovery;
using IntegrationHub.Tests.Lifecycle;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Tests.Operations;

public sealed class When_routing_fails : IDisposable
{
    private readonly HubFactory _hub = new(new Dictionary<string, string?> { ["Hub:Testing:FailRouting"] = "true" });

    private async Task<JsonElement> WaitForFailureAsync(HttpClient ops, Guid trackingId) =>
        await OperationsClient.EventuallyAsync(() => ops.GetJsonAsync("/api/v1/operations/failures"),
            f => f.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("items").EnumerateArray())
                .Any(i => i.TryGetProperty("trackingId", out var t) && t.ValueKind == JsonValueKind.String && t.GetGuid() == trackingId),
            "the failure is listed");

    [Fact]
    public async Task Should_list_it_by_cause_and_deliver_it_once_when_retried_twice()
    {
        var police = _hub.ClientFor("police");
        var ops = _hub.ClientFor("operations");
        var trackingId = await police.PostConcernAsync(TestConcerns.PoliceConcern());

        var failures = await WaitForFailureAsync(ops, trackingId);
        var group = failures.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("source").GetString() == "routing");
        Assert.EndsWith(nameof(SimulatedRoutingFailureException), group.GetProperty("exceptionType").GetString());
        Assert.Equal(1, group.GetProperty("count").GetInt32());
        var failureId = group.GetProperty("items")[0].GetProperty("id").GetGuid();

        _hub.Services.GetRequiredService<RoutingFaultSwitch>().Override = false;
        var first = await ops.PostJsonAsync($"/api/v1/operations/failures/{failureId}/retry", new { reason = "fault switched off" });
        var second = await ops.PostJsonAsync($"/api/v1/operations/failures/{failureId}/retry", new { reason = "double click" });
        Assert.Equal("Retried", first.GetProperty("result").GetString());
        Assert.Equal("already Retried", second.GetProperty("result").GetString());

        var decision = await police.WaitForDecisionAsync(trackingId);
        Assert.Equal(1, decision.GetProperty("revision").GetInt32());
        Assert.Equal(0, (await ops.GetJsonAsync("/api/v1/operations/failures")).GetProperty("open").GetInt32());

        var audit = await ops.GetJsonAsync($"/api/v1/operations/audit?trackingId={trackingId}");
        var events = audit.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("event").GetString()).ToList();
        Assert.Equal(["Received", "RoutingFailed", "FailureRetried", "Decided", "Delivered"], events.Distinct());
        Assert.Single(events, "FailureRetried");
        var retried = audit.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("event").GetString() == "FailureRetried");
        Assert.Equal("operations (operator)", retried.GetProperty("actor").GetString());
        Assert.Contains("fault switched off", retried.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Should_keep_a_discarded_failure_out_of_the_list_with_its_reason_audited()
    {
        var police = _hub.ClientFor("police");
        var ops = _hub.ClientAsUser("operator");
        var trackingId = await police.PostConcernAsync(TestConcerns.PoliceConcern());
        var failures = await WaitForFailureAsync(ops, trackingId);
        var failureId = failures.GetProperty("groups")[0].GetProperty("items")[0].GetProperty("id").GetGuid();

        using (var noReason = await ops.PostAsync($"/api/v1/operations/failures/{failureId}/discard",
                   new StringContent("{\"reason\":\"\"}", System.Text.Encoding.UTF8, "application/json")))
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, noReason.StatusCode);
        var discarded = await ops.PostJsonAsync($"/api/v1/operations/failures/{failureId}/discard", new { reason = "sent again by the agency" });
        Assert.Equal("Discarded", discarded.GetProperty("result").GetString());
        Assert.Equal(0, (await ops.GetJsonAsync("/api/v1/operations/failures")).GetProperty("open").GetInt32());
        var audit = await ops.GetJsonAsync($"/api/v1/operations/audit?trackingId={trackingId}");
        Assert.Contains(audit.GetProperty("entries").EnumerateArray(), e => e.GetProperty("event").GetString() == "FailureDiscarded"
            && e.GetProperty("actor").GetString() == "operator (operator)" && e.GetProperty("detail").GetString()!.Contains("sent again by the agency"));
    }

    [Fact]
    public async Task Should_never_publish_a_discarded_concern_again_when_stalled_work_is_swept()
    {
        using var hub = new HubFactory(new Dictionary<string, string?>
        {
            ["Hub:Testing:FailRouting"] = "true", ["Hub:Recovery:StalledAfter"] = "00:00:00", ["Hub:Recovery:Interval"] = "01:00:00",
        });
        var police = hub.ClientFor("police");
        var ops = hub.ClientFor("operations");
        var trackingId = await police.PostConcernAsync(TestConcerns.PoliceConcern());
        var failures = await OperationsClient.EventuallyAsync(() => ops.GetJsonAsync("/api/v1/operations/failures"),
            f => f.GetProperty("open").GetInt32() == 1, "the failure is listed");
        var failureId = failures.GetProperty("groups")[0].GetProperty("items")[0].GetProperty("id").GetGuid();
        await ops.PostJsonAsync($"/api/v1/operations/failures/{failureId}/discard", new { reason = "sent again by the agency" });
        hub.Services.GetRequiredService<RoutingFaultSwitch>().Override = false;

        var (republished, _) = await hub.Services.GetRequiredService<StalledWorkSweeper>().SweepAsync(CancellationToken.None);

        Assert.Equal(0, republished);
        var decision = await police.GetJsonAsync($"/api/v1/decisions/{trackingId}");
        Assert.Equal("Pending", decision.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Should_list_a_lifecycle_report_the_hub_could_not_take_and_take_it_when_retried()
    {
        var police = _hub.ClientFor("police");
        var ops = _hub.ClientFor("operations");
        var found = await police.PostLifecycleAsync("/api/v1/found-reports", LifecycleMessages.Found("WI-FAIL-1", "LA-FAIL-1", DateTimeOffset.UtcNow.AddHours(-1)));

        var failures = await WaitForFailureAsync(ops, found.TrackingId);
        var item = failures.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("items").EnumerateArray())
            .Single(i => i.GetProperty("trackingId").GetGuid() == found.TrackingId);
        _hub.Services.GetRequiredService<RoutingFaultSwitch>().Override = false;
        var retried = await ops.PostJsonAsync($"/api/v1/operations/failures/{item.GetProperty("id").GetGuid()}/retry", new { reason = "fault switched off" });

        Assert.Equal("Retried", retried.GetProperty("result").GetString());
        var episode = await ops.WaitForEpisodeAsync(found.EpisodeId, e => e.State() == "InterviewRequested");
        Assert.Equal(["FoundWithoutMissingReport", "Returned", "ReturnInterviewRequested"], episode.Steps()); // once, not twice
        Assert.Equal(0, (await ops.GetJsonAsync("/api/v1/operations/failures")).GetProperty("open").GetInt32());
    }

    [Fact]
    public async Task Should_group_quarantined_input_with_the_failures_and_keep_it_until_it_reads()
    {
        var education = _hub.ClientFor("education");
        using (await education.PostAsync("/api/v1/concerns", new StringContent("{\"child\": {\"ageYears\": \"twelve\"}}", System.Text.Encoding.UTF8, "application/json"))) { }
        var ops = _hub.ClientFor("operations");

        var failures = await ops.GetJsonAsync("/api/v1/operations/failures");
        Assert.Equal(1, failures.GetProperty("quarantined").GetInt32());
        var group = failures.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("source").GetString() == "quarantine");
        Assert.Equal("Education", group.GetProperty("items")[0].GetProperty("agency").GetString());
        var id = group.GetProperty("items")[0].GetProperty("id").GetGuid();

        var retried = await ops.PostJsonAsync($"/api/v1/operations/failures/{id}/retry");
        Assert.Contains("still cannot be read", retried.GetProperty("result").GetString());
        var discarded = await ops.PostJsonAsync($"/api/v1/operations/failures/{id}/discard", new { reason = "test input from the agency's supplier" });
        Assert.Equal("Discarded", discarded.GetProperty("result").GetString());
        Assert.Equal(0, (await ops.GetJsonAsync("/api/v1/operations/failures")).GetProperty("quarantined").GetInt32());
    }

    public void Dispose() => _hub.Dispose();
}
