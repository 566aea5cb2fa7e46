using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IntegrationHub.Adapters.Inbound;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Ingress.Inbound;
using IntegrationHub.Persistence;
using IntegrationHub.Tests.Lifecycle;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Tests.Ingress;

/// <summary>
/// The same idempotency key (HTTP <c>Idempotency-Key</c>, AMQP <c>message_id</c>) on the same message is a retry: answered
/// as already received. On a different message (the police's updated missing report, risk raised, under the first one's
/// id) it is refused as <c>key-reused</c>: answered as already received, the update would be lost without anyone knowing.
/// The AMQP cases call the inbound dispatcher as the agencies' AMQP consumer does (channel <c>amqp</c>, the consume context
/// as the send endpoints); the consumer turns a refusal into an <c>InboundRefusedException</c> with its reason code.
/// </summary>
public sealed class When_an_idempotency_key_is_reused : IDisposable
{
    private readonly HubFactory _hub = new();

    public void Dispose() => _hub.Dispose();

    private static readonly DateTimeOffset LastSeen = DateTimeOffset.UtcNow.AddHours(-2);
    private static readonly string Missing = LifecycleMessages.Missing("WI-KEY-1", "LA-KEY-1", LastSeen);
    private static readonly string MissingRiskRaised = LifecycleMessages.Missing("WI-KEY-1", "LA-KEY-1", LastSeen, knownCse: true);

    [Fact]
    public async Task Should_answer_a_lifecycle_report_sent_again_unchanged_as_already_received()
    {
        using var first = await PostAsync("police", "/api/v1/missing-reports", Missing, "police-msg-1");
        using var again = await PostAsync("police", "/api/v1/missing-reports", Missing, "police-msg-1");

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (first.StatusCode, again.StatusCode));
        Assert.Equal("Received", (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal("AlreadyReceived", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(1, await CountAsync("ChildReportedMissing"));
    }

    [Fact]
    public async Task Should_refuse_a_different_lifecycle_report_under_the_same_Idempotency_Key_and_change_nothing()
    {
        using var first = await PostAsync("police", "/api/v1/missing-reports", Missing, "police-msg-2");
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var kept = await PayloadsAsync("ChildReportedMissing");

        using var updated = await PostAsync("police", "/api/v1/missing-reports", MissingRiskRaised, "police-msg-2");

        var problem = await updated.Content.ReadAsStringAsync();
        Assert.True(updated.StatusCode == HttpStatusCode.Conflict, $"{(int)updated.StatusCode}: {problem}");
        Assert.Contains("Idempotency-Key", problem, StringComparison.Ordinal);
        Assert.Contains("new Idempotency-Key", problem, StringComparison.Ordinal);
        Assert.Equal(kept, await PayloadsAsync("ChildReportedMissing"));
        Assert.Equal(["key-reused"], await QuarantineReasonsAsync());
    }

    [Fact]
    public async Task Should_refuse_a_different_lifecycle_report_under_the_same_AMQP_message_id()
    {
        var first = await DispatchAsync(Agency.Police, "ChildReportedMissing", Missing, "police-amqp-1");
        var again = await DispatchAsync(Agency.Police, "ChildReportedMissing", Missing, "police-amqp-1");
        var kept = await PayloadsAsync("ChildReportedMissing");
        var updated = await DispatchAsync(Agency.Police, "ChildReportedMissing", MissingRiskRaised, "police-amqp-1");

        Assert.True(first.Accepted && !first.Duplicate, "the first is received");
        Assert.True(again.Accepted && again.Duplicate, "the same message again is a duplicate");
        Assert.False(updated.Accepted, "a different message under the same message_id is refused");
        Assert.Equal(("key-reused", 409), (updated.ReasonCode, updated.Status));
        Assert.Equal("message_id", Assert.Single(updated.Errors).Field);
        Assert.Equal(kept, await PayloadsAsync("ChildReportedMissing"));
        Assert.Single(kept);
    }

    [Fact]
    public async Task Should_answer_a_concern_sent_again_byte_for_byte_as_already_received_and_decide_it_once()
    {
        var police = _hub.ClientFor("police");
        using var first = await PostAsync("police", "/api/v1/concerns", TestConcerns.PoliceConcern(), "ppd1-key-1");
        using var again = await PostAsync("police", "/api/v1/concerns", TestConcerns.PoliceConcern(), "ppd1-key-1");

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (first.StatusCode, again.StatusCode));
        var (received, retried) = (await first.Content.ReadFromJsonAsync<JsonElement>(), await again.Content.ReadFromJsonAsync<JsonElement>());
        Assert.Equal(("Received", "AlreadyReceived"), (received.GetProperty("status").GetString(), retried.GetProperty("status").GetString()));
        var trackingId = received.GetProperty("trackingId").GetGuid();
        Assert.Equal(trackingId, retried.GetProperty("trackingId").GetGuid());
        await police.WaitForDecisionAsync(trackingId);
        Assert.Equal((1, 1), (await CountAsync("ConcernRaised"), await DecisionsAsync()));
        Assert.Empty(await QuarantineReasonsAsync());
    }

    [Fact]
    public async Task Should_refuse_a_different_concern_under_the_same_Idempotency_Key_keep_it_in_quarantine_and_change_nothing()
    {
        var police = _hub.ClientFor("police");
        using var first = await PostAsync("police", "/api/v1/concerns", TestConcerns.PoliceConcern(), "ppd1-key-2");
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        await police.WaitForDecisionAsync((await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingId").GetGuid());
        var kept = await PayloadsAsync("ConcernRaised");

        var atImmediateRisk = TestConcerns.PoliceConcern(immediateRisk: true);
        using var updated = await PostAsync("police", "/api/v1/concerns", atImmediateRisk, "ppd1-key-2");

        var problem = await updated.Content.ReadAsStringAsync();
        Assert.True(updated.StatusCode == HttpStatusCode.Conflict, $"{(int)updated.StatusCode}: {problem}");
        Assert.Contains("new Idempotency-Key", problem, StringComparison.Ordinal);
        Assert.Equal(kept, await PayloadsAsync("ConcernRaised"));
        Assert.Equal(1, await DecisionsAsync());
        Assert.Equal(["key-reused"], await QuarantineReasonsAsync());
        var held = Assert.Single(await QuarantinedAsync());
        Assert.Equal(atImmediateRisk, Encoding.UTF8.GetString(held.Body)); // what was refused is kept whole, to be sent again
        Assert.Equal(held.Id, JsonDocument.Parse(problem).RootElement.GetProperty("quarantineId").GetGuid());
    }

    /// <summary>
    /// The hub compares the bytes sent, not what they mean: the same concern laid out differently under a used key is a
    /// different body, refused and kept in quarantine. Nothing is lost (the first is decided, the second is held for
    /// operations), and a sender's retry sends what it sent before, byte for byte.
    /// </summary>
    [Fact]
    public async Task Should_refuse_the_same_concern_laid_out_differently_under_the_same_Idempotency_Key()
    {
        using var first = await PostAsync("police", "/api/v1/concerns", TestConcerns.PoliceConcern(), "ppd1-key-3");
        var compact = JsonSerializer.Serialize(JsonDocument.Parse(TestConcerns.PoliceConcern()).RootElement);
        using var again = await PostAsync("police", "/api/v1/concerns", compact, "ppd1-key-3");

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Conflict), (first.StatusCode, again.StatusCode));
        Assert.Equal(["key-reused"], await QuarantineReasonsAsync());
        Assert.Equal(1, await CountAsync("ConcernRaised"));
    }

    [Fact]
    public async Task Should_refuse_a_different_concern_under_the_same_AMQP_message_id_and_decide_it_once()
    {
        var first = await DispatchAsync(Agency.Police, InboundKinds.ConcernKind, TestConcerns.PoliceConcern(), "ppd1-amqp-1");
        var again = await DispatchAsync(Agency.Police, InboundKinds.ConcernKind, TestConcerns.PoliceConcern(), "ppd1-amqp-1");
        var kept = await PayloadsAsync("ConcernRaised");
        var updated = await DispatchAsync(Agency.Police, InboundKinds.ConcernKind, TestConcerns.PoliceConcern(immediateRisk: true), "ppd1-amqp-1");

        Assert.True(first.Accepted && again.Accepted, "the first is decided; the same message again is a redelivery");
        Assert.False(updated.Accepted, "a different concern under the same message_id is refused");
        Assert.Equal(("key-reused", 409), (updated.ReasonCode, updated.Status));
        Assert.Equal("message_id", Assert.Single(updated.Errors).Field);
        Assert.Equal(kept, await PayloadsAsync("ConcernRaised"));
        Assert.Equal(1, await DecisionsAsync());
    }

    /// <summary>
    /// A concern received over HTTP is recorded before the router sees it: the router must take that row for the concern's
    /// own, and still turn away another concern sent over AMQP with the same id as its key.
    /// </summary>
    [Fact]
    public async Task Should_refuse_a_different_concern_over_AMQP_under_the_key_an_HTTP_concern_was_sent_with()
    {
        using var first = await PostAsync("police", "/api/v1/concerns", TestConcerns.PoliceConcern(), "ppd1-both-1");
        var trackingId = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingId").GetGuid();
        await _hub.ClientFor("police").WaitForDecisionAsync(trackingId);

        var different = await DispatchAsync(Agency.Police, InboundKinds.ConcernKind, TestConcerns.PoliceConcern(immediateRisk: true), "ppd1-both-1");
        var same = await DispatchAsync(Agency.Police, InboundKinds.ConcernKind, TestConcerns.PoliceConcern(), "ppd1-both-1");

        Assert.Equal(("key-reused", 409), (different.ReasonCode, different.Status));
        Assert.Equal(trackingId, same.TrackingId);
        Assert.Equal((1, 1), (await CountAsync("ConcernRaised"), await DecisionsAsync()));
    }

    [Fact]
    public async Task Should_refuse_a_different_decision_not_to_share_under_the_same_Idempotency_Key()
    {
        const string record = """
            {
              "child": { "localChildId": "SCH-KEY-1", "ageYears": 15 },
              "factors": [],
              "withheldFrom": [ "Mash" ],
              "reasons": "Both pupils are 15 and 16, close in age, in a relationship both describe as consensual; no 9.3 factor applies.",
              "decisionMakers": [ "Ms A Head, head teacher" ],
              "safeguardingLeadConsulted": "Ms D Lead, designated safeguarding lead",
              "signedBy": "Ms A Head",
              "signedOn": "2026-11-27",
              "namedLead": { "name": "Ms D Lead", "role": "Designated safeguarding lead" }
            }
            """;
        using var first = await PostAsync("education", "/api/v1/decisions-not-to-share", record, "dnts-key-1");
        using var again = await PostAsync("education", "/api/v1/decisions-not-to-share", record, "dnts-key-1");
        var kept = await PayloadsAsync("DecisionNotToShareRecorded");
        using var amended = await PostAsync("education", "/api/v1/decisions-not-to-share", record.Replace("Ms A Head\",", "Mr B Deputy\","), "dnts-key-1");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, again.StatusCode));
        Assert.True(amended.StatusCode == HttpStatusCode.Conflict, $"{(int)amended.StatusCode}: {await amended.Content.ReadAsStringAsync()}");
        Assert.Equal(kept, await PayloadsAsync("DecisionNotToShareRecorded"));
        Assert.Single(kept);
    }

    private async Task<HttpResponseMessage> PostAsync(string agency, string path, string json, string idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await _hub.ClientFor(agency).SendAsync(request);
    }

    private async Task<IntakeOutcome> DispatchAsync(Agency agency, string kind, string json, string messageId)
    {
        using var scope = _hub.Services.CreateScope();
        var endpoints = scope.ServiceProvider.GetRequiredService<ISendEndpointProvider>();
        var body = Encoding.UTF8.GetBytes(json);
        // As AgencyInboundConsumer does: the channel carries the message_id and the body's fingerprint.
        return await scope.ServiceProvider.GetRequiredService<InboundDispatcher>()
            .DispatchAsync(agency, kind, body, InboundChannel.Received("amqp", messageId, body, endpoints), CancellationToken.None);
    }

    private async Task<HubDbContext> DbAsync() =>
        await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();

    private async Task<int> CountAsync(string kind)
    {
        await using var db = await DbAsync();
        return await db.Messages.CountAsync(m => m.Kind == kind);
    }

    private async Task<List<string>> PayloadsAsync(string kind)
    {
        await using var db = await DbAsync();
        return await db.Messages.Where(m => m.Kind == kind).OrderBy(m => m.ReceivedAt).Select(m => m.Payload).ToListAsync();
    }

    private async Task<int> DecisionsAsync()
    {
        await using var db = await DbAsync();
        return await db.Decisions.CountAsync();
    }

    private async Task<List<QuarantineRecord>> QuarantinedAsync()
    {
        await using var db = await DbAsync();
        return await db.Quarantine.AsNoTracking().ToListAsync();
    }

    /// <summary>The reason codes of what was quarantined, as the audit records them ("quarantine {id}: {reason code}").</summary>
    private async Task<List<string>> QuarantineReasonsAsync()
    {
        await using var db = await DbAsync();
        var details = await db.Audit.Where(a => a.Event == "Quarantined").Select(a => a.Detail).ToListAsync();
        return [.. details.Select(d => d[(d.LastIndexOf(": ", StringComparison.Ordinal) + 2)..])];
    }
}
