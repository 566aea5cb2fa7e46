using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IntegrationHub.Tests.Contracts;

namespace IntegrationHub.Tests.Agencies;

/// <summary>Every example in docs/examples/&lt;agency&gt;/&lt;Kind&gt;.json is sent by its agency to POST /api/v1/inbound/&lt;Kind&gt; and decided.</summary>
public sealed class When_agencies_send_their_own_formats : IClassFixture<SharedHub>
{
    private readonly HubFactory _hub;

    public When_agencies_send_their_own_formats(SharedHub hub) => _hub = hub.Factory;

    internal static string Examples => Path.Combine(ContractSchemaTests.RepositoryRoot(), "docs", "examples");

    /// <summary>(agency, kind) for every agency-format example.</summary>
    public static TheoryData<string, string> AgencyExamples()
    {
        var data = new TheoryData<string, string>();
        foreach (var agency in new[] { "health", "police", "education", "probation", "yot" })
            foreach (var file in Directory.GetFiles(Path.Combine(Examples, agency), "*.json").Order())
                data.Add(agency, Path.GetFileNameWithoutExtension(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(AgencyExamples))]
    public async Task Should_accept_and_decide_each_example(string agency, string kind)
    {
        var client = _hub.ClientFor(agency);
        var body = await File.ReadAllTextAsync(Path.Combine(Examples, agency, kind + ".json"));
        var contentType = kind == "FhirBundle" ? "application/fhir+json" : "application/json";

        var response = await client.PostAsync($"/api/v1/inbound/{kind}", new StringContent(body, Encoding.UTF8, contentType));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{agency}/{kind}: {(int)response.StatusCode} {text}");
        var trackingId = JsonDocument.Parse(text).RootElement.GetProperty("trackingId").GetGuid();
        var decision = await client.WaitForDecisionAsync(trackingId);
        Assert.NotEmpty(decision.RuleIds());
    }

    [Fact]
    public async Task Should_route_a_YOT_concern_about_a_child_exploiting_others_to_the_police_and_MASH()
    {
        var yot = _hub.ClientFor("yot");
        var response = await yot.PostAsync("/api/v1/inbound/YotConcern",
            new StringContent(await File.ReadAllTextAsync(Path.Combine(Examples, "yot", "YotConcern.json")), Encoding.UTF8, "application/json"));
        var trackingId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingId").GetGuid();

        var decision = await yot.WaitForDecisionAsync(trackingId);

        Assert.Contains("YOT-01", decision.RuleIds());
        Assert.Contains("Police", decision.Recipients());
        Assert.Contains("Mash", decision.Recipients());
    }

    [Fact]
    public async Task Should_refuse_a_kind_that_belongs_to_another_agency_and_keep_it()
    {
        var body = await File.ReadAllTextAsync(Path.Combine(Examples, "police", "Ppd1Notification.json"));

        var response = await _hub.ClientFor("education").PostAsync("/api/v1/inbound/Ppd1Notification", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.TryGetProperty("quarantineId", out _));
    }

    [Fact]
    public async Task Should_name_the_field_in_the_agencys_own_format()
    {
        var response = await _hub.ClientFor("police").PostAsync("/api/v1/inbound/Ppd1Notification",
            new StringContent("""{"ppd1Reference": "x", "officer": {"name": "PC"}, "subject": {"nhsNumber": "1234567890"}, "incident": {"summary": "s"}}""",
                Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("subject.nhsNumber", problem.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task Should_refuse_an_unknown_kind_listing_the_known_ones()
    {
        var response = await _hub.ClientFor("health").PostAsync("/api/v1/inbound/Telegram", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("DslConcern", await response.Content.ReadAsStringAsync());
    }
}
