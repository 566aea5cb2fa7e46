using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IntegrationHub.Persistence;
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

    [Fact]
    public async Task Should_route_a_body_that_now_reads_once_however_often_it_is_replayed()
    {
        // A body refused under an older contract that the current one reads: stored as the hub stores refusals.
        var id = Guid.NewGuid();
        using (var scope = _hub.Services.CreateScope())
        {
            var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<HubDbContext>>();
            await using var db = await factory.CreateDbContextAsync();
            var body = Encoding.UTF8.GetBytes(TestConcerns.PoliceConcern());
            db.Quarantine.Add(new QuarantineRecord
            {
                Id = id, At = DateTimeOffset.UtcNow, Agency = "Police", Channel = "http", ContentType = "application/json",
                Reason = "older contract", Body = body, BodyLength = body.Length,
            });
            await db.SaveChangesAsync();
        }
        var ops = _hub.ClientFor("operations");

        var replay = await ops.PostAsync($"/api/v1/quarantine/{id}/replay", null);
        var again = await ops.PostAsync($"/api/v1/quarantine/{id}/replay", null);

        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var trackingId = (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingId").GetGuid();
        var decision = await ops.WaitForDecisionAsync(trackingId);
        Assert.Contains("POL-01", decision.RuleIds());
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
