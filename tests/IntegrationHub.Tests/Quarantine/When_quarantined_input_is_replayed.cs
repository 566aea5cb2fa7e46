using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Serialization;
using IntegrationHub.Adapters.Health;
using IntegrationHub.Persistence;
using IntegrationHub.Tests.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Tests.Quarantine;

public sealed class When_quarantined_input_is_replayed : IDisposable
{
    private readonly HubFactory _hub = new();

    [Fact]
    public async Task Should_leave_a_body_that_still_fails_in_quarantine()
    {
        var refused = await _hub.ClientFor("education").PostAsync("/api/v1/concerns",
            new StringContent("""{"child": {}, "narrative": "n"}""", Encoding.UTF8, "application/json"));
        var id = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("quarantineId").GetGuid();

        var replay = await _hub.ClientFor("operations").PostAsync($"/api/v1/quarantine/{id}/replay", null);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, replay.StatusCode);
        var list = await _hub.ClientFor("operations").GetFromJsonAsync<JsonElement>("/api/v1/quarantine?status=Held");
        Assert.Contains(list.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetGuid() == id);
    }

    private static string Example(params string[] path) =>
        File.ReadAllText(Path.Combine([ContractSchemaTests.RepositoryRoot(), "docs", "examples", .. path]));

    private static string AsXml(string fhirJson) =>
        FhirXmlSerializer.Default.SerializeToString(HealthFhirAdapter.Parse(fhirJson, FhirFormat.Json).Resource!);

    public static TheoryData<string, string, string, string> Bodies() => new()
    {
        // kind, agency, content type, body
        { "Concern", "Police", "application/json", TestConcerns.PoliceConcern() },
        { "FhirBundle", "Health", "application/fhir+json", Example("fhir", "referral-message.json") },
        { "FhirBundle", "Health", "application/fhir+xml", AsXml(Example("fhir", "referral-message.json")) },
        { "Ppd1Notification", "Police", "application/json", Example("police", "Ppd1Notification.json") },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Should_route_a_body_that_now_reads_as_the_kind_it_was_sent_as_once_however_often_it_is_replayed(
        string kind, string agency, string contentType, string text)
    {
        // A body refused by an older contract or adapter that the current one reads: stored as the hub stores refusals.
        var id = Guid.NewGuid();
        using (var scope = _hub.Services.CreateScope())
        {
            var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<HubDbContext>>();
            await using var db = await factory.CreateDbContextAsync();
            var body = Encoding.UTF8.GetBytes(text);
            db.Quarantine.Add(new QuarantineRecord
            {
                Id = id, At = DateTimeOffset.UtcNow, Agency = agency, Channel = kind == "FhirBundle" ? "fhir" : "http", Kind = kind,
                ContentType = contentType, Reason = "older contract", Body = body, BodyLength = body.Length,
            });
            await db.SaveChangesAsync();
        }
        var ops = _hub.ClientFor("operations");

        var replay = await ops.PostAsync($"/api/v1/quarantine/{id}/replay", null);
        var again = await ops.PostAsync($"/api/v1/quarantine/{id}/replay", null);

        Assert.True(replay.StatusCode == HttpStatusCode.Accepted, await replay.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var trackingId = (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingId").GetGuid();
        var decision = await ops.WaitForDecisionAsync(trackingId);
        Assert.Contains("Mash", decision.Recipients());
    }

    [Fact]
    public async Task Should_keep_the_kind_so_an_agency_format_is_read_again_as_that_format()
    {
        var refused = await _hub.ClientFor("police").PostAsync("/api/v1/inbound/Ppd1Notification",
            new StringContent("""{"ppd1Reference": "PPD1-1", "subject": {"forenames": 7}}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var id = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("quarantineId").GetGuid();
        var ops = _hub.ClientFor("operations");
        var list = await ops.GetFromJsonAsync<JsonElement>("/api/v1/quarantine");
        Assert.Equal("Ppd1Notification", list.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetGuid() == id).GetProperty("kind").GetString());

        var replay = await ops.PostAsync($"/api/v1/quarantine/{id}/replay", null);

        // Read as a PPD1 again, so its errors are the PPD1's own, not a Concern's ("unknown field ppd1Reference").
        Assert.Equal(HttpStatusCode.UnprocessableEntity, replay.StatusCode);
        var problem = await replay.Content.ReadAsStringAsync();
        Assert.Contains("still cannot be read", problem);
        Assert.DoesNotContain("ppd1Reference", problem);
    }

    [Fact]
    public async Task Should_not_replay_a_decision_not_to_share_and_say_why()
    {
        var refused = await _hub.ClientFor("education").PostAsync("/api/v1/decisions-not-to-share",
            new StringContent("nonsense", Encoding.UTF8, "application/json"));
        var id = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("quarantineId").GetGuid();

        var replay = await _hub.ClientFor("operations").PostAsync($"/api/v1/quarantine/{id}/replay", null);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, replay.StatusCode);
        Assert.Contains("decision not to share is sent again complete", await replay.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Should_discard_only_with_a_reason()
    {
        var refused = await _hub.ClientFor("health").PostAsync("/api/v1/concerns", new StringContent("nonsense", Encoding.UTF8, "application/json"));
        var id = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("quarantineId").GetGuid();
        var ops = _hub.ClientFor("operations");

        var noReason = await ops.PostAsJsonAsync($"/api/v1/quarantine/{id}/discard", new { reason = "" });
        var withReason = await ops.PostAsJsonAsync($"/api/v1/quarantine/{id}/discard", new { reason = "test message sent by the agency's supplier" });

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, withReason.StatusCode);
        var list = await ops.GetFromJsonAsync<JsonElement>("/api/v1/quarantine?status=Discarded");
        Assert.Equal(1, list.GetProperty("count").GetInt32());
    }

    public void Dispose() => _hub.Dispose();
}
