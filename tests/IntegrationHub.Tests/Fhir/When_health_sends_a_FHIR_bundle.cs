using System.Net;
using System.Text;
using System.Text.Json;
using IntegrationHub.Tests.Contracts;

namespace IntegrationHub.Tests.Fhir;

public sealed class When_health_sends_a_FHIR_bundle : IClassFixture<SharedHub>
{
    private readonly HubFactory _hub;

    public When_health_sends_a_FHIR_bundle(SharedHub hub) => _hub = hub.Factory;

    private static string Example(string name) =>
        File.ReadAllText(Path.Combine(ContractSchemaTests.RepositoryRoot(), "docs", "examples", "fhir", name));

    private Task<HttpResponseMessage> PostAsync(string body, string contentType = "application/fhir+json") =>
        _hub.ClientFor("health").PostAsync("/api/v1/fhir/Bundle", new StringContent(body, Encoding.UTF8, contentType));

    [Theory]
    [InlineData("referral-message.json")]
    [InlineData("referral-collection.json")]
    [InlineData("referral-trafficking.json")]
    public async Task Should_accept_each_documented_referral_and_decide_it(string file)
    {
        var response = await PostAsync(Example(file));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        var outcome = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("OperationOutcome", outcome.GetProperty("resourceType").GetString());
        var location = response.Headers.Location!.ToString();
        var trackingId = Guid.Parse(location[(location.LastIndexOf('/') + 1)..]);
        Assert.Contains(trackingId.ToString(), outcome.GetRawText());
        var decision = await _hub.ClientFor("health").WaitForDecisionAsync(trackingId);
        Assert.Contains("Mash", decision.Recipients());
    }

    [Fact]
    public async Task Should_send_trafficking_to_the_police()
    {
        var response = await PostAsync(Example("referral-trafficking.json"));
        var location = response.Headers.Location!.ToString();

        var decision = await _hub.ClientFor("health").WaitForDecisionAsync(Guid.Parse(location[(location.LastIndexOf('/') + 1)..]));

        Assert.Contains("TRF-01", decision.RuleIds());
        Assert.Contains("Police", decision.Recipients());
    }

    [Fact]
    public async Task Should_refuse_a_bad_NHS_number_with_an_OperationOutcome_pointing_at_it_and_keep_the_bundle()
    {
        var before = await QuarantineCountAsync();

        var response = await PostAsync(Example("invalid-nhs-number.json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var outcome = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var issue = outcome.GetProperty("issue").EnumerateArray().First(i => i.GetProperty("severity").GetString() == "error");
        Assert.Equal("value", issue.GetProperty("code").GetString());
        Assert.Contains("identifier", issue.GetProperty("expression")[0].GetString());
        Assert.Equal(before + 1, await QuarantineCountAsync());
    }

    [Theory]
    [InlineData("{ not json", "application/fhir+json", HttpStatusCode.BadRequest)]
    [InlineData("""{"resourceType": "Patient", "id": "p"}""", "application/fhir+json", HttpStatusCode.UnprocessableEntity)]
    [InlineData("""{"resourceType": "Bundle", "type": "collection", "entry": []}""", "text/plain", HttpStatusCode.UnsupportedMediaType)]
    public async Task Should_refuse_what_is_not_a_referral_and_keep_it(string body, string contentType, HttpStatusCode status)
    {
        var before = await QuarantineCountAsync();

        var response = await PostAsync(body, contentType);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(before + 1, await QuarantineCountAsync());
    }

    [Fact]
    public async Task Should_publish_its_CodeSystem()
    {
        var json = await _hub.CreateClient().GetStringAsync("/api/v1/fhir/CodeSystem/safeguarding-indicator");
        var codeSystem = JsonDocument.Parse(json).RootElement;
        Assert.Equal("CodeSystem", codeSystem.GetProperty("resourceType").GetString());
        Assert.Equal("https://fhir.integrationhub.dev/CodeSystem/safeguarding-indicator", codeSystem.GetProperty("url").GetString());
    }

    private async Task<int> QuarantineCountAsync()
    {
        var list = JsonDocument.Parse(await _hub.ClientFor("operations").GetStringAsync("/api/v1/quarantine")).RootElement;
        return list.GetProperty("count").GetInt32();
    }
}
