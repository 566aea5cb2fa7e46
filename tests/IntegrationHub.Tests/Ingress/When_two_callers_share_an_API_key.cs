using System.Net;
using System.Net.Http.Json;
using IntegrationHub.Ingress.Security;
using IntegrationHub.Tests.Operations;

namespace IntegrationHub.Tests.Ingress;

/// <summary>
/// Found by a security review: with one key configured for two callers, the key authenticated as whichever the registry
/// met first, so an agency could send as another (or act as operations). The hub now refuses to start, naming both
/// settings and never the key or its hash.
/// </summary>
public sealed class When_two_callers_share_an_API_key : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("ihub-shared-key-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    public static TheoryData<string, string, string, string> Shared => new()
    {
        // setting, its value, the other setting holding the same key, the key itself
        { "Hub:Agencies:yot:ApiKey", HubFactory.KeyFor("police"), "Hub:Agencies:police:ApiKey", HubFactory.KeyFor("police") },
        { "Hub:Recipients:marp:ApiKeySha256", ApiKeyRegistry.Hash(HubFactory.KeyFor("police")).ToUpperInvariant(), "Hub:Agencies:police:ApiKey", HubFactory.KeyFor("police") },
        { "Hub:Operations:ApiKey", HubFactory.KeyFor("health"), "Hub:Agencies:health:ApiKey", HubFactory.KeyFor("health") },
        { "Hub:Recipients:marp:ApiKey", HubFactory.OperationsKey, "Hub:Operations:ApiKey", HubFactory.OperationsKey },
    };

    private static void AssertRefusedNaming(HubFactory hub, string key, params string[] settings)
    {
        var error = Assert.ThrowsAny<Exception>(() => hub.CreateClient()).ToString();
        foreach (var setting in settings) Assert.Contains(setting, error, StringComparison.Ordinal);
        var hash = ApiKeyRegistry.Hash(key);
        foreach (var text in hub.Logs.Append(error))
        {
            Assert.DoesNotContain(key, text, StringComparison.Ordinal);
            Assert.DoesNotContain(hash, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [MemberData(nameof(Shared))]
    public void Should_refuse_to_start_naming_both_settings_and_never_the_key(string setting, string value, string other, string key)
    {
        using var hub = new HubFactory(new Dictionary<string, string?> { [setting] = value });

        AssertRefusedNaming(hub, key, setting, other);
    }

    [Fact]
    public async Task Should_refuse_the_ignored_key_of_an_agency_with_an_issued_one_and_an_issued_key_given_to_another_caller()
    {
        string issued;
        using (var hub = new HubFactory(dataDirectory: _data))
        {
            using var response = await hub.ClientAsUser("admin").PostAsJsonAsync("/api/v1/operations/agencies/police/keys", new { reason = "rotation, ticket INC-9" });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            issued = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("apiKey").GetString()!;
        }

        // The police's configured key no longer works for them, but whoever still holds it would act as the yot.
        using (var hub = new HubFactory(new Dictionary<string, string?> { ["Hub:Agencies:yot:ApiKey"] = HubFactory.KeyFor("police") }, _data))
            AssertRefusedNaming(hub, HubFactory.KeyFor("police"), "Hub:Agencies:police:ApiKey", "Hub:Agencies:yot:ApiKey");

        using (var hub = new HubFactory(new Dictionary<string, string?> { ["Hub:Operations:ApiKey"] = "", ["Hub:Operations:ApiKeySha256"] = ApiKeyRegistry.Hash(issued) }, _data))
            AssertRefusedNaming(hub, issued, "api-key:police", "Hub:Operations:ApiKeySha256");

        using (var hub = new HubFactory(dataDirectory: _data))
        {
            var police = hub.CreateClient();
            police.DefaultRequestHeaders.Add("X-Api-Key", issued);
            await police.PostConcernAsync(TestConcerns.PoliceConcern());
        }
    }
}
