using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IntegrationHub.Persistence;
using IntegrationHub.Tests.Lifecycle;
using IntegrationHub.Tests.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Tests.Quarantine;

/// <summary>
/// An agency told its message was refused often sends a corrected copy, which is routed. A replay of the refused
/// original after that would decide and deliver the same concern a second time: the hub holds it back, names the later
/// copy, and routes it only when the operator confirms.
/// </summary>
public sealed class When_quarantined_input_was_sent_again_later : IDisposable
{
    private const string Reference = "PPD1-2026-0001"; // TestConcerns.PoliceConcern's senderReference
    private const string AnotherNhsNumber = "9990000026";

    private readonly HubFactory _hub = new();

    /// <summary>A body refused by an older contract or adapter that the current one reads, kept as the hub keeps refusals, refused now.</summary>
    private async Task<Guid> QuarantineAsync(string agency, string kind, string text)
    {
        var id = Guid.CreateVersion7();
        await using var db = await DbAsync();
        var body = Encoding.UTF8.GetBytes(text);
        db.Quarantine.Add(new QuarantineRecord
        {
            Id = id, At = DateTimeOffset.UtcNow, Agency = agency, Channel = "http", Kind = kind, ContentType = "application/json",
            Reason = "older contract", Body = body, BodyLength = body.Length,
        });
        await db.SaveChangesAsync();
        return id;
    }

    private async Task<HubDbContext> DbAsync()
    {
        _hub.CreateClient().Dispose(); // starts the hub
        return await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
    }

    private async Task<QuarantineStatus> StatusOfAsync(Guid id)
    {
        await using var db = await DbAsync();
        return (await db.Quarantine.AsNoTracking().SingleAsync(q => q.Id == id)).Status;
    }

    private async Task<(List<Guid> Messages, int Deliveries)> RoutedAsync()
    {
        await using var db = await DbAsync();
        return (await db.Messages.AsNoTracking().OrderBy(m => m.ReceivedAt).Select(m => m.TrackingId).ToListAsync(), await db.Deliveries.CountAsync());
    }

    private async Task<Guid> SendAgainAsync(string agency, string concern)
    {
        var client = _hub.ClientFor(agency);
        var trackingId = await client.PostConcernAsync(concern);
        await client.WaitForDecisionAsync(trackingId);
        return trackingId;
    }

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response) => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private async Task<IReadOnlyList<JsonElement>> AuditOfAsync(Guid trackingId) =>
        [.. (await _hub.ClientFor("operations").GetJsonAsync($"/api/v1/operations/audit?trackingId={trackingId}")).GetProperty("entries").EnumerateArray()];

    [Fact]
    public async Task Should_not_route_a_replay_the_agency_sent_again_later_and_name_the_later_tracking_id()
    {
        var id = await QuarantineAsync("Police", "Concern", TestConcerns.PoliceConcern());
        var resent = await SendAgainAsync("police", TestConcerns.PoliceConcern());
        var before = await RoutedAsync();
        var ops = _hub.ClientFor("operations");

        using var replay = await ops.PostAsync($"/api/v1/quarantine/{id}/replay", null);
        var retried = await ops.PostJsonAsync($"/api/v1/operations/failures/{id}/retry", new { reason = "adapter fixed" });

        Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
        var problem = await JsonOf(replay);
        Assert.Equal("ResentLater", problem.GetProperty("result").GetString());
        var copy = Assert.Single(problem.GetProperty("laterCopies").EnumerateArray());
        Assert.Equal(resent, copy.GetProperty("trackingId").GetGuid());
        Assert.Equal("child and senderReference", copy.GetProperty("matchedOn").GetString());
        Assert.True(copy.GetProperty("receivedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains(resent.ToString(), detail);
        Assert.Contains("?confirm=true", detail);
        Assert.Equal("ResentLater", retried.GetProperty("result").GetString());
        Assert.Equal(resent, retried.GetProperty("laterCopies")[0].GetProperty("trackingId").GetGuid());
        // Nothing was routed: the input is still held, the resend is the only message, and no delivery was added.
        Assert.Equal(QuarantineStatus.Held, await StatusOfAsync(id));
        var after = await RoutedAsync();
        Assert.Equal([resent], after.Messages);
        Assert.Equal(before.Deliveries, after.Deliveries);
    }

    [Fact]
    public async Task Should_route_it_when_the_operator_confirms_and_audit_the_replay_anyway()
    {
        var id = await QuarantineAsync("Police", "Concern", TestConcerns.PoliceConcern());
        var resent = await SendAgainAsync("police", TestConcerns.PoliceConcern());
        var ops = _hub.ClientFor("operations");

        using var replay = await ops.PostAsync($"/api/v1/quarantine/{id}/replay?confirm=true", null);

        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        var trackingId = (await JsonOf(replay)).GetProperty("trackingId").GetGuid();
        Assert.NotEqual(resent, trackingId);
        Assert.Contains("Mash", (await ops.WaitForDecisionAsync(trackingId)).Recipients());
        Assert.Equal(QuarantineStatus.Replayed, await StatusOfAsync(id));
        var audited = Assert.Single(await AuditOfAsync(trackingId), e => e.GetProperty("event").GetString() == "QuarantineReplayedAnyway");
        Assert.Contains(resent.ToString(), audited.GetProperty("detail").GetString());
        Assert.DoesNotContain(await AuditOfAsync(trackingId), e => e.GetProperty("event").GetString() == "QuarantineReplayed");
    }

    [Fact]
    public async Task Should_retry_it_from_the_failures_API_when_confirmed_and_audit_who_and_why()
    {
        var id = await QuarantineAsync("Police", "Concern", TestConcerns.PoliceConcern());
        var resent = await SendAgainAsync("police", TestConcerns.PoliceConcern());
        var ops = _hub.ClientAsUser("operator");

        var retried = await ops.PostJsonAsync($"/api/v1/operations/failures/{id}/retry?confirm=true", new { reason = "a second incident, checked with the police" });

        Assert.Equal("Retried", retried.GetProperty("result").GetString());
        var trackingId = retried.GetProperty("trackingId").GetGuid();
        Assert.Equal(resent, retried.GetProperty("laterCopies")[0].GetProperty("trackingId").GetGuid());
        await _hub.ClientFor("operations").WaitForDecisionAsync(trackingId);
        var audited = Assert.Single(await AuditOfAsync(trackingId), e => e.GetProperty("event").GetString() == "QuarantineReplayedAnyway");
        Assert.Equal("operator (operator)", audited.GetProperty("actor").GetString());
        Assert.Contains("a second incident, checked with the police", audited.GetProperty("detail").GetString());
        Assert.Contains(resent.ToString(), audited.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Should_route_a_replay_as_before_when_nothing_was_sent_again_since_the_refusal()
    {
        // Sent before the refusal: it cannot be a copy sent because of it.
        var earlier = await SendAgainAsync("police", TestConcerns.PoliceConcern());
        var id = await QuarantineAsync("Police", "Concern", TestConcerns.PoliceConcern());
        var ops = _hub.ClientFor("operations");

        using var replay = await ops.PostAsync($"/api/v1/quarantine/{id}/replay", null);

        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        var trackingId = (await JsonOf(replay)).GetProperty("trackingId").GetGuid();
        Assert.Contains("Mash", (await ops.WaitForDecisionAsync(trackingId)).Recipients());
        Assert.Equal([earlier, trackingId], (await RoutedAsync()).Messages);
        Assert.Single(await AuditOfAsync(trackingId), e => e.GetProperty("event").GetString() == "QuarantineReplayed");
    }

    [Fact]
    public async Task Should_route_a_replay_when_the_agency_sent_another_concern_about_the_same_child_under_another_reference()
    {
        var id = await QuarantineAsync("Police", "Concern", TestConcerns.PoliceConcern());
        await SendAgainAsync("police", TestConcerns.PoliceConcern().Replace(Reference, "PPD1-2026-0002", StringComparison.Ordinal));

        using var replay = await _hub.ClientFor("operations").PostAsync($"/api/v1/quarantine/{id}/replay", null);

        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
    }

    [Fact]
    public async Task Should_route_a_replay_when_another_agency_sent_a_concern_with_the_same_reference_about_the_same_child()
    {
        var id = await QuarantineAsync("Police", "Concern", TestConcerns.PoliceConcern());
        await SendAgainAsync("health", TestConcerns.PoliceConcern());

        using var replay = await _hub.ClientFor("operations").PostAsync($"/api/v1/quarantine/{id}/replay", null);

        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        var trackingId = (await JsonOf(replay)).GetProperty("trackingId").GetGuid();
        await _hub.ClientFor("operations").WaitForDecisionAsync(trackingId);
    }

    [Fact]
    public async Task Should_skip_and_count_input_sent_again_later_when_a_group_is_retried()
    {
        var resentId = await QuarantineAsync("Police", "Concern", TestConcerns.PoliceConcern());
        var otherId = await QuarantineAsync("Police", "Concern", TestConcerns.PoliceConcern()
            .Replace(Reference, "PPD1-2026-0002", StringComparison.Ordinal).Replace(TestConcerns.NhsNumber, AnotherNhsNumber, StringComparison.Ordinal));
        var unreadableId = await QuarantineAsync("Police", "Concern", """{"child": {}, "narrative": "n"}""");
        var resent = await SendAgainAsync("police", TestConcerns.PoliceConcern());
        var ops = _hub.ClientFor("operations");

        var group = await ops.PostJsonAsync($"/api/v1/operations/failures/groups/{Uri.EscapeDataString("http:older contract")}/retry", new { reason = "adapter fixed" });

        Assert.Equal(3, group.GetProperty("count").GetInt32());
        Assert.Equal(1, group.GetProperty("retried").GetInt32());
        Assert.Equal(1, group.GetProperty("skipped").GetInt32());
        Assert.Contains("sent again later by the agency", group.GetProperty("skippedReason").GetString());
        Assert.Equal(1, group.GetProperty("notRetried").GetInt32());
        var skipped = group.GetProperty("outcomes").EnumerateArray().Single(o => o.GetProperty("id").GetGuid() == resentId);
        Assert.Equal("ResentLater", skipped.GetProperty("result").GetString());
        Assert.Equal(resent, skipped.GetProperty("laterCopies")[0].GetProperty("trackingId").GetGuid());
        Assert.Equal(QuarantineStatus.Held, await StatusOfAsync(resentId));
        Assert.Equal(QuarantineStatus.Replayed, await StatusOfAsync(otherId));
        Assert.Equal(QuarantineStatus.Held, await StatusOfAsync(unreadableId));
    }

    [Fact]
    public async Task Should_hold_back_a_missing_report_the_police_sent_again_later_by_its_police_reference()
    {
        var report = LifecycleMessages.Missing("WI-RESENT-1", "LA-RESENT-1", DateTimeOffset.UtcNow.AddHours(-3));
        var id = await QuarantineAsync("Police", "ChildReportedMissing", report);
        var resent = await _hub.ClientFor("police").PostLifecycleAsync("/api/v1/missing-reports", report.Replace("WI-RESENT-1", "wi-resent-1 ", StringComparison.Ordinal));

        var retried = await _hub.ClientFor("operations").PostJsonAsync($"/api/v1/operations/failures/{id}/retry");

        Assert.Equal("ResentLater", retried.GetProperty("result").GetString());
        var copy = Assert.Single(retried.GetProperty("laterCopies").EnumerateArray());
        Assert.Equal(resent.TrackingId, copy.GetProperty("trackingId").GetGuid());
        Assert.Equal("policeReference", copy.GetProperty("matchedOn").GetString());
        Assert.Equal(QuarantineStatus.Held, await StatusOfAsync(id));
    }

    [Fact]
    public async Task Should_warn_on_the_failures_page_and_replay_anyway_only_from_the_confirming_form()
    {
        var id = await QuarantineAsync("Police", "Concern", TestConcerns.PoliceConcern());
        var resent = await SendAgainAsync("police", TestConcerns.PoliceConcern());
        var console = ConsoleSignIn.For(_hub);
        using (await console.SignInAsync("operator", ConsoleSignIn.Password(_hub, "operator"))) { }

        using var warned = await console.PostFormAsync("/operations/failures", "/operations/failures/action",
            new Dictionary<string, string> { ["action"] = "retry", ["id"] = id.ToString() });

        Assert.Equal(HttpStatusCode.Conflict, warned.StatusCode);
        var page = await warned.Content.ReadAsStringAsync();
        Assert.Contains("Sent again later", page);
        Assert.Contains($"href=\"/operations/messages/{resent}\"", page);
        Assert.Contains("<input type=\"hidden\" name=\"action\" value=\"discard\">", page);
        Assert.Contains("<input type=\"hidden\" name=\"confirm\" value=\"true\">", page);
        Assert.Contains("Replay anyway", page);
        Assert.Equal(QuarantineStatus.Held, await StatusOfAsync(id));

        // Without the form's anti-forgery token the confirmation does nothing.
        using (var forged = await console.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/operations/failures/action")
               {
                   Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["action"] = "retry", ["id"] = id.ToString(), ["confirm"] = "true" }),
               }))
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(QuarantineStatus.Held, await StatusOfAsync(id));

        using var anyway = await console.PostFormAsync("/operations/failures", "/operations/failures/action", new Dictionary<string, string>
        {
            ["action"] = "retry", ["id"] = id.ToString(), ["confirm"] = "true", ["reason"] = "a second incident, checked with the police",
        });

        Assert.Equal(HttpStatusCode.Redirect, anyway.StatusCode);
        Assert.Contains($"Retried: {id}", Uri.UnescapeDataString(anyway.Headers.Location!.ToString()));
        Assert.Equal(QuarantineStatus.Replayed, await StatusOfAsync(id));
        await using var db = await DbAsync();
        var audited = await db.Audit.AsNoTracking().SingleAsync(a => a.Event == "QuarantineReplayedAnyway");
        Assert.Equal("operator (operator)", audited.Actor);
        Assert.Contains("a second incident, checked with the police", audited.Detail);
    }

    [Fact]
    public async Task Should_discard_it_from_the_warning_with_the_later_tracking_id_as_the_reason()
    {
        var id = await QuarantineAsync("Police", "Concern", TestConcerns.PoliceConcern());
        var resent = await SendAgainAsync("police", TestConcerns.PoliceConcern());
        var console = ConsoleSignIn.For(_hub);
        using (await console.SignInAsync("operator", ConsoleSignIn.Password(_hub, "operator"))) { }
        using var warned = await console.PostFormAsync("/operations/failures", "/operations/failures/action",
            new Dictionary<string, string> { ["action"] = "retry", ["id"] = id.ToString() });
        var page = await warned.Content.ReadAsStringAsync();
        Assert.Contains($"value=\"sent again by the agency as {resent}\"", page);

        using var discarded = await console.PostFormAsync("/operations/failures", "/operations/failures/action", new Dictionary<string, string>
        {
            ["action"] = "discard", ["id"] = id.ToString(), ["reason"] = $"sent again by the agency as {resent}",
        });

        Assert.Equal(HttpStatusCode.Redirect, discarded.StatusCode);
        Assert.Equal(QuarantineStatus.Discarded, await StatusOfAsync(id));
        Assert.Equal([resent], (await RoutedAsync()).Messages);
    }

    /// <summary>As a replay interrupted after its claim (the hub stopped, the database failed) leaves it: claimed for its
    /// replay's tracking id, still held (decision 0017).</summary>
    private async Task<Guid> ClaimedByAnInterruptedReplayAsync(Guid id)
    {
        var trackingId = IntegrationHub.Ingress.Referrals.ConcernIntake.TrackingIdFor(IntegrationHub.Contracts.Common.Agency.Police, $"quarantine/{id}");
        await using var db = await DbAsync();
        var record = await db.Quarantine.SingleAsync(q => q.Id == id);
        record.ReplayedAs = trackingId;
        await db.SaveChangesAsync();
        return trackingId;
    }

    [Fact]
    public async Task Should_let_an_input_whose_replay_was_interrupted_before_it_was_routed_be_discarded_once_it_is_held_back()
    {
        var id = await QuarantineAsync("Police", "Concern", TestConcerns.PoliceConcern());
        await ClaimedByAnInterruptedReplayAsync(id);
        var resent = await SendAgainAsync("police", TestConcerns.PoliceConcern());
        var ops = _hub.ClientFor("operations");

        using var replay = await ops.PostAsync($"/api/v1/quarantine/{id}/replay", null);
        using var discard = await ops.PostAsJsonAsync($"/api/v1/quarantine/{id}/discard", new { reason = $"sent again by the agency as {resent}" });

        Assert.Equal("ResentLater", (await JsonOf(replay)).GetProperty("result").GetString());
        Assert.Equal(HttpStatusCode.NoContent, discard.StatusCode);
        Assert.Equal(QuarantineStatus.Discarded, await StatusOfAsync(id));
        Assert.Equal([resent], (await RoutedAsync()).Messages);
    }

    [Fact]
    public async Task Should_finish_a_replay_that_was_interrupted_after_it_was_routed_without_holding_it_back()
    {
        var id = await QuarantineAsync("Police", "Concern", TestConcerns.PoliceConcern());
        var resent = await SendAgainAsync("police", TestConcerns.PoliceConcern());
        var replayed = await ClaimedByAnInterruptedReplayAsync(id);
        // What that replay had done before it was interrupted: the input accepted under its replay key.
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/concerns") { Content = new StringContent(TestConcerns.PoliceConcern(), Encoding.UTF8, "application/json") })
        {
            request.Headers.Add("Idempotency-Key", $"quarantine/{id}");
            using var accepted = await _hub.ClientFor("police").SendAsync(request);
            Assert.Equal(replayed, (await JsonOf(accepted)).GetProperty("trackingId").GetGuid());
        }
        var ops = _hub.ClientFor("operations");

        using var discard = await ops.PostAsJsonAsync($"/api/v1/quarantine/{id}/discard", new { reason = $"sent again by the agency as {resent}" });
        using var replay = await ops.PostAsync($"/api/v1/quarantine/{id}/replay", null);

        Assert.Equal(HttpStatusCode.Conflict, discard.StatusCode);
        Assert.Equal("Replay not finished", (await JsonOf(discard)).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        Assert.Equal(replayed, (await JsonOf(replay)).GetProperty("trackingId").GetGuid());
        Assert.Equal(QuarantineStatus.Replayed, await StatusOfAsync(id));
        Assert.Equal([resent, replayed], (await RoutedAsync()).Messages);
        Assert.Single(await AuditOfAsync(replayed), e => e.GetProperty("event").GetString() == "QuarantineReplayed");
    }

    public void Dispose() => _hub.Dispose();
}
