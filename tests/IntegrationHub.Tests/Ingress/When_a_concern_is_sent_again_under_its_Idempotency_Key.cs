using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IntegrationHub.Persistence;
using IntegrationHub.Persistence.Failures;
using IntegrationHub.Routing.Failures;
using IntegrationHub.Routing.Recovery;
using IntegrationHub.Tests.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Tests.Ingress;

/// <summary>
/// A concern under a used key is compared by the bytes the sender sent, not by the concern the hub made of them: what
/// the hub makes of the same bytes can change with the day, and a genuine retry must not be refused for it. And the
/// hub's own resends of a kept concern (the stalled-work sweeper, an operator's retry) are that concern, never another
/// one under its key.
/// </summary>
public sealed class When_a_concern_is_sent_again_under_its_Idempotency_Key
{
    /// <summary>A 13-15 year-old discussed anonymously: the hub keeps the age worked out on receipt, not the date of birth.</summary>
    private const string Consultation = $$"""
        {
          "child": { "nhsNumber": "{{TestConcerns.NhsNumber}}", "givenName": "{{TestConcerns.ChildGivenName}}",
                     "familyName": "{{TestConcerns.ChildFamilyName}}", "dateOfBirth": "2011-07-01", "postcode": "SN1 2AB" },
          "referrer": { "name": "School nurse", "service": "SchoolNursing" },
          "narrative": "{{TestConcerns.ChildGivenName}} says she has an older boyfriend who gives her money.",
          "exploitationType": "Sexual",
          "anonymousConsultationRequested": true
        }
        """;

    [Fact]
    public async Task Should_answer_an_anonymous_consultation_resent_after_the_childs_birthday_as_already_received()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 30, 12, 0, 0, TimeSpan.Zero)); // 14 today, 15 tomorrow
        using var hub = new HubFactory(HubFactory.WithHourlyBackgroundLoops([]), services: s => s.AddSingleton<TimeProvider>(clock));
        using var first = await PostAsync(hub, "health", Consultation, "consult-1");
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);

        clock.Advance(TimeSpan.FromDays(1));
        using var retry = await PostAsync(hub, "health", Consultation, "consult-1");

        Assert.True(retry.StatusCode == HttpStatusCode.Accepted, $"{(int)retry.StatusCode}: {await retry.Content.ReadAsStringAsync()}");
        Assert.Equal("AlreadyReceived", (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        await using var db = await DbAsync(hub);
        Assert.Equal(0, await db.Quarantine.CountAsync());
        Assert.Contains("\"ageYears\":14", (await db.Messages.SingleAsync()).Payload, StringComparison.Ordinal); // as on receipt
    }

    [Fact]
    public async Task Should_decide_a_stalled_concern_the_sweeper_publishes_again()
    {
        using var hub = new HubFactory(new Dictionary<string, string?>
        {
            ["Hub:Testing:FailRouting"] = "true", ["Hub:Recovery:StalledAfter"] = "00:00:00", ["Hub:Recovery:Interval"] = "01:00:00",
        });
        var trackingId = await ReceivedButNotDecidedAsync(hub, "ppd1-stalled-1");
        await using (var db = await DbAsync(hub))
        {
            // As after an operator's retry whose publish never reached the bus: the row is owed a decision, and the
            // sweeper is what finishes it.
            await db.Set<FailureRecord>().Where(f => f.TrackingId == trackingId)
                .ExecuteUpdateAsync(s => s.SetProperty(f => f.Status, FailureStatus.Retried));
        }

        var (republished, _) = await hub.Services.GetRequiredService<StalledWorkSweeper>().SweepAsync(CancellationToken.None);

        Assert.Equal(1, republished);
        await AssertDecidedOnceAsync(hub, trackingId);
    }

    [Fact]
    public async Task Should_decide_a_concern_an_operator_retries_after_its_routing_failed()
    {
        using var hub = new HubFactory(new Dictionary<string, string?> { ["Hub:Testing:FailRouting"] = "true", ["Hub:Recovery:Interval"] = "01:00:00" });
        var trackingId = await ReceivedButNotDecidedAsync(hub, "ppd1-failed-1");
        await using (var db = await DbAsync(hub))
        {
            var failureId = await db.Set<FailureRecord>().Where(f => f.TrackingId == trackingId).Select(f => f.Id).SingleAsync();
            var retried = await hub.ClientFor("operations").PostJsonAsync($"/api/v1/operations/failures/{failureId}/retry", new { reason = "fault switched off" });
            Assert.Equal("Retried", retried.GetProperty("result").GetString());
        }

        await AssertDecidedOnceAsync(hub, trackingId);
    }

    /// <summary>A concern received under <paramref name="key"/> whose routing failed; the failure is switched off after.</summary>
    private static async Task<Guid> ReceivedButNotDecidedAsync(HubFactory hub, string key)
    {
        using var received = await PostAsync(hub, "police", TestConcerns.PoliceConcern(), key);
        Assert.Equal(HttpStatusCode.Accepted, received.StatusCode);
        var trackingId = (await received.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingId").GetGuid();
        await OperationsClient.EventuallyAsync(() => hub.ClientFor("operations").GetJsonAsync("/api/v1/operations/failures"),
            f => f.GetProperty("open").GetInt32() == 1, "the routing failure is listed");
        hub.Services.GetRequiredService<RoutingFaultSwitch>().Override = false;
        return trackingId;
    }

    private static async Task AssertDecidedOnceAsync(HubFactory hub, Guid trackingId)
    {
        await hub.ClientFor("police").WaitForDecisionAsync(trackingId);
        await using var db = await DbAsync(hub);
        Assert.Equal(1, await db.Decisions.CountAsync(d => d.TrackingId == trackingId));
        Assert.Equal(0, await db.Quarantine.CountAsync());
        Assert.DoesNotContain(hub.Logs, l => l.Contains("another concern was kept under the same key", StringComparison.Ordinal));
    }

    private static async Task<HttpResponseMessage> PostAsync(HubFactory hub, string agency, string json, string idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/concerns") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await hub.ClientFor(agency).SendAsync(request);
    }

    private static Task<HubDbContext> DbAsync(HubFactory hub) =>
        hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
}
