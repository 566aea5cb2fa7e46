using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Tests.Operations;

public sealed class When_a_supervisor_opens_content : IDisposable
{
    private readonly HubFactory _hub = new();

    [Fact]
    public async Task Should_refuse_operators_and_the_operations_key()
    {
        var police = _hub.ClientFor("police");
        var trackingId = await police.PostConcernAsync(TestConcerns.PoliceConcern());
        await police.WaitForDecisionAsync(trackingId);

        foreach (var client in new[] { _hub.ClientAsUser("operator"), _hub.ClientFor("operations") })
        {
            using var response = await client.PostAsJsonAsync($"/api/v1/operations/messages/{trackingId}/content", new { reason = "I would like to read it please" });
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.DoesNotContain(TestConcerns.NhsNumber, await response.Content.ReadAsStringAsync());
        }
        using var anonymous = await _hub.CreateClient().GetAsync("/api/v1/operations/flow");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Should_open_only_with_a_reason_audit_it_and_tell_the_sending_agency()
    {
        var police = _hub.ClientFor("police");
        var trackingId = await police.PostConcernAsync(TestConcerns.PoliceConcern());
        await police.WaitForDecisionAsync(trackingId);
        var supervisor = _hub.ClientAsUser("supervisor");

        using (var noReason = await supervisor.PostAsJsonAsync($"/api/v1/operations/messages/{trackingId}/content", new { reason = "" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
            Assert.DoesNotContain(TestConcerns.NhsNumber, await noReason.Content.ReadAsStringAsync());
        }

        var opened = await supervisor.PostJsonAsync($"/api/v1/operations/messages/{trackingId}/content", new { reason = "Strategy discussion request S-42" });
        Assert.Contains(TestConcerns.NhsNumber, opened.GetProperty("content").GetString());

        var audit = await _hub.ClientFor("operations").GetJsonAsync($"/api/v1/operations/audit?trackingId={trackingId}");
        var opening = audit.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("event").GetString() == "ContentOpened");
        Assert.Equal("supervisor (supervisor)", opening.GetProperty("actor").GetString());
        Assert.Contains("Strategy discussion request S-42", opening.GetProperty("detail").GetString());

        var factory = _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>();
        var notice = await OperationsClient.EventuallyAsync(async () =>
        {
            await using var db = await factory.CreateDbContextAsync();
            return await db.Deliveries.AsNoTracking().SingleOrDefaultAsync(d => d.TrackingId == trackingId && d.MessageKind == "RecordOpened");
        }, d => d?.SentAt is not null, "the police feedback notice is sent");
        Assert.Equal("agency.police.feedback", notice!.Queue);
        var payload = JsonDocument.Parse(notice.Payload).RootElement;
        Assert.Equal("supervisor", payload.GetProperty("openedBy").GetString());
        Assert.Equal("Strategy discussion request S-42", payload.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Should_show_operators_metadata_only()
    {
        var police = _hub.ClientFor("police");
        var trackingId = await police.PostConcernAsync(TestConcerns.PoliceConcern());
        await police.WaitForDecisionAsync(trackingId);
        var op = _hub.ClientAsUser("operator");
        foreach (var path in new[] { "flow", "queues", "failures", "deadlines", "insights", $"audit?trackingId={trackingId}" })
        {
            using var response = await op.GetAsync($"/api/v1/operations/{path}");
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
            foreach (var identifier in new[] { TestConcerns.NhsNumber, TestConcerns.ChildGivenName, TestConcerns.ChildFamilyName, "SN1 2AB", "2012-03-04", "unknown adults" })
                Assert.DoesNotContain(identifier, body);
        }
        var flow = await op.GetJsonAsync("/api/v1/operations/flow");
        var row = flow.GetProperty("latest").EnumerateArray().Single(m => m.GetProperty("trackingId").GetGuid() == trackingId);
        Assert.Equal("Delivered", row.GetProperty("status").GetString());
    }

    public void Dispose() => _hub.Dispose();
}
