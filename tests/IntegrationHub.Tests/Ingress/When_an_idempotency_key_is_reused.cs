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
        return await scope.ServiceProvider.GetRequiredService<InboundDispatcher>()
            .DispatchAsync(agency, kind, Encoding.UTF8.GetBytes(json), new InboundChannel("amqp", messageId, endpoints), CancellationToken.None);
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

    /// <summary>The reason codes of what was quarantined, as the audit records them ("quarantine {id}: {reason code}").</summary>
    private async Task<List<string>> QuarantineReasonsAsync()
    {
        await using var db = await DbAsync();
        var details = await db.Audit.Where(a => a.Event == "Quarantined").Select(a => a.Detail).ToListAsync();
        return [.. details.Select(d => d[(d.LastIndexOf(": ", StringComparison.Ordinal) + 2)..])];
    }
}
