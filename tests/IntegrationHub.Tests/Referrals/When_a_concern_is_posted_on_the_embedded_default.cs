using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace IntegrationHub.Tests.Referrals;

public sealed class When_a_concern_is_posted_on_the_embedded_default : IDisposable
{
    private readonly HubFactory _hub = new();

    [Fact]
    public async Task Should_decide_with_MASH_as_a_recipient_and_name_POL_01()
    {
        var police = _hub.ClientFor("police");
        var trackingId = await police.PostConcernAsync(TestConcerns.PoliceConcern());

        var decision = await police.WaitForDecisionAsync(trackingId);

        Assert.Contains("Mash", decision.Recipients());
        Assert.Contains("POL-01", decision.RuleIds());
        var pol01 = decision.GetProperty("rulesFired").EnumerateArray().Single(r => r.GetProperty("ruleId").GetString() == "POL-01");
        Assert.Equal("10.3.3", pol01.GetProperty("section").GetString());
        Assert.False(string.IsNullOrWhiteSpace(pol01.GetProperty("reason").GetString()));
        var mashDelivery = decision.GetProperty("deliveries").EnumerateArray().Single(d => d.GetProperty("recipient").GetString() == "Mash");
        Assert.Equal("mash.referrals", mashDelivery.GetProperty("queue").GetString());
    }

    [Fact]
    public async Task Should_send_the_police_first_and_urgently_when_the_child_is_at_immediate_risk()
    {
        var police = _hub.ClientFor("police");
        var trackingId = await police.PostConcernAsync(TestConcerns.PoliceConcern(immediateRisk: true));

        var decision = await police.WaitForDecisionAsync(trackingId);

        var first = decision.GetProperty("recipients").EnumerateArray().First();
        Assert.Equal("Police", first.GetProperty("recipient").GetString());
        Assert.Equal("Urgent", first.GetProperty("priority").GetString());
        Assert.Contains("IMM-01", decision.RuleIds());
    }

    [Fact]
    public async Task Should_show_the_fields_withheld_from_each_recipient()
    {
        var police = _hub.ClientFor("police");
        var trackingId = await police.PostConcernAsync(TestConcerns.PoliceConcern());

        var decision = await police.WaitForDecisionAsync(trackingId);

        var mash = decision.GetProperty("recipients").EnumerateArray().Single(r => r.GetProperty("recipient").GetString() == "Mash");
        Assert.Contains("child.nhsNumber", mash.GetProperty("fieldsReleased").EnumerateArray().Select(f => f.GetString()));
        Assert.Empty(mash.GetProperty("fieldsWithheld").EnumerateArray());
    }

    [Fact]
    public async Task Should_route_a_retry_with_the_same_idempotency_key_once()
    {
        var police = _hub.ClientFor("police");
        async Task<HttpResponseMessage> Post()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/concerns")
            {
                Content = new StringContent(TestConcerns.PoliceConcern(), System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Idempotency-Key", "ppd1-2026-0001-attempt");
            return await police.SendAsync(request);
        }

        var first = await (await Post()).Content.ReadFromJsonAsync<JsonElement>();
        var second = await (await Post()).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(first.GetProperty("trackingId").GetGuid(), second.GetProperty("trackingId").GetGuid());
        Assert.Equal("AlreadyReceived", second.GetProperty("status").GetString());
        var decision = await police.WaitForDecisionAsync(first.GetProperty("trackingId").GetGuid());
        Assert.Equal(1, decision.GetProperty("revision").GetInt32());
    }

    [Fact]
    public async Task Should_hide_another_agencys_decision()
    {
        var trackingId = await _hub.ClientFor("police").PostConcernAsync(TestConcerns.PoliceConcern());

        var response = await _hub.ClientFor("education").GetAsync($"/api/v1/decisions/{trackingId}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var ops = await _hub.ClientFor("operations").GetAsync($"/api/v1/decisions/{trackingId}");
        Assert.Equal(HttpStatusCode.OK, ops.StatusCode);
    }

    [Fact]
    public async Task Should_answer_404_for_an_unknown_tracking_id()
    {
        var response = await _hub.ClientFor("police").GetAsync($"/api/v1/decisions/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Should_report_healthy_and_serve_its_OpenAPI_document()
    {
        var client = _hub.CreateClient();
        Assert.Equal("Healthy", await client.GetStringAsync("/health"));
        var openApi = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/api/v1/concerns", out _));
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/api/v1/decisions/{trackingId}", out _));
    }

    public void Dispose() => _hub.Dispose();
}
