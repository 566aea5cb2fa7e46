using System.Net;
using System.Net.Http.Json;
using IntegrationHub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Tests.Operations;

/// <summary>Issue #7, admin: an agency's API key is issued (rotated) from the API; shown once, stored as a hash, audited.</summary>
public sealed class When_an_admin_issues_an_agency_key : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("ihub-keys-").FullName;
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    private static async Task<HttpStatusCode> SendWithKeyAsync(HubFactory hub, string key)
    {
        var client = hub.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        using var content = new StringContent(TestConcerns.PoliceConcern(), System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/api/v1/concerns", content);
        return response.StatusCode;
    }

    /// <summary>Any agency key may ask for a decision: an unknown tracking id is 404 to a valid key, 401 to anything else.</summary>
    private static async Task<HttpStatusCode> AuthenticateWithKeyAsync(HubFactory hub, string key)
    {
        var client = hub.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        using var response = await client.GetAsync($"/api/v1/decisions/{Guid.NewGuid()}");
        return response.StatusCode;
    }

    private static async Task<string> IssueAsync(HttpClient admin, string agency, string reason)
    {
        using var response = await admin.PostAsJsonAsync($"/api/v1/operations/agencies/{agency}/keys", new { reason });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var issued = System.Text.Json.JsonDocument.Parse(body).RootElement;
        Assert.Equal(agency, issued.GetProperty("agency").GetString());
        return issued.GetProperty("apiKey").GetString()!;
    }

    [Fact]
    public async Task Should_make_the_new_key_work_the_old_key_fail_audit_it_and_refuse_operators_and_supervisors()
    {
        using (var hub = new HubFactory(dataDirectory: _data))
        {
            var oldKey = HubFactory.KeyFor("police");
            Assert.Equal(HttpStatusCode.Accepted, await SendWithKeyAsync(hub, oldKey));

            foreach (var client in new[] { hub.ClientAsUser("operator"), hub.ClientAsUser("supervisor"), hub.ClientFor("operations") })
            {
                using var refused = await client.PostAsJsonAsync("/api/v1/operations/agencies/police/keys", new { reason = "leaked in an email" });
                Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
                using var list = await client.GetAsync("/api/v1/operations/agencies");
                Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
            }
            var admin = hub.ClientAsUser("admin");
            using (var noReason = await admin.PostAsJsonAsync("/api/v1/operations/agencies/police/keys", new { reason = " " }))
                Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
            using (var unknown = await admin.PostAsJsonAsync("/api/v1/operations/agencies/mi5/keys", new { reason = "no such agency" }))
                Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Equal(HttpStatusCode.Accepted, await SendWithKeyAsync(hub, oldKey));

            var newKey = await IssueAsync(admin, "police", "key leaked in an email, ticket INC-7");
            Assert.StartsWith("police-", newKey);
            Assert.Equal(HttpStatusCode.Accepted, await SendWithKeyAsync(hub, newKey));
            Assert.Equal(HttpStatusCode.Unauthorized, await SendWithKeyAsync(hub, oldKey));
            Assert.Equal(HttpStatusCode.NotFound, await AuthenticateWithKeyAsync(hub, HubFactory.KeyFor("education")));

            var audit = await hub.ClientFor("operations").GetJsonAsync("/api/v1/operations/audit");
            var issued = Assert.Single(audit.GetProperty("entries").EnumerateArray(), e => e.GetProperty("event").GetString() == "AgencyKeyIssued");
            Assert.Equal("admin (admin)", issued.GetProperty("actor").GetString());
            Assert.Contains("key leaked in an email, ticket INC-7", issued.GetProperty("detail").GetString());
            Assert.Contains("agency police", issued.GetProperty("detail").GetString());
            Assert.True(issued.GetProperty("at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
            Assert.DoesNotContain(newKey, audit.GetRawText());

            var keys = await admin.GetJsonAsync("/api/v1/operations/agencies");
            var police = Assert.Single(keys.EnumerateArray(), a => a.GetProperty("agency").GetString() == "police");
            Assert.Equal("issued", police.GetProperty("source").GetString());
            Assert.Equal(1, police.GetProperty("keys").GetArrayLength());
            Assert.DoesNotContain(newKey, keys.GetRawText());

            // Only the hash is stored, nowhere the key.
            await using var db = await hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
            var setting = await db.Settings.AsNoTracking().SingleAsync(s => s.Key == "api-key:police");
            Assert.Contains(IntegrationHub.Ingress.Security.ApiKeyRegistry.Hash(newKey), setting.Value);
            Assert.DoesNotContain(newKey, setting.Value);
            Assert.False(await db.Audit.AnyAsync(a => a.Detail.Contains(newKey)));
        }

        // A restart (same database, same configuration with the old key in it): the issued key still rules.
        using (var restarted = new HubFactory(dataDirectory: _data))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await SendWithKeyAsync(restarted, HubFactory.KeyFor("police")));
            var admin = restarted.ClientAsUser("admin");
            var keys = await admin.GetJsonAsync("/api/v1/operations/agencies");
            Assert.Equal("issued", keys.EnumerateArray().Single(a => a.GetProperty("agency").GetString() == "police").GetProperty("source").GetString());
        }
    }

    [Fact]
    public async Task Should_keep_the_previous_key_working_for_the_configured_grace_period_only()
    {
        using var hub = new HubFactory(new Dictionary<string, string?> { ["Hub:Security:KeyRotationGrace"] = "01:00:00" }, _data,
            services: s => s.AddSingleton<TimeProvider>(_clock));
        var admin = hub.ClientAsUser("admin");
        var first = await IssueAsync(admin, "health", "annual rotation");
        Assert.Equal(HttpStatusCode.NotFound, await AuthenticateWithKeyAsync(hub, HubFactory.KeyFor("health")));
        Assert.Equal(HttpStatusCode.NotFound, await AuthenticateWithKeyAsync(hub, first));

        _clock.Advance(TimeSpan.FromMinutes(30));
        var second = await IssueAsync(admin, "health", "second rotation in the same hour");
        _clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(HttpStatusCode.Unauthorized, await AuthenticateWithKeyAsync(hub, HubFactory.KeyFor("health")));
        Assert.Equal(HttpStatusCode.NotFound, await AuthenticateWithKeyAsync(hub, first));
        Assert.Equal(HttpStatusCode.NotFound, await AuthenticateWithKeyAsync(hub, second));

        _clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(HttpStatusCode.Unauthorized, await AuthenticateWithKeyAsync(hub, first));
        Assert.Equal(HttpStatusCode.NotFound, await AuthenticateWithKeyAsync(hub, second));
    }
}
