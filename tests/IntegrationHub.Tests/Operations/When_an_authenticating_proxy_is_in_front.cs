using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Tests.Operations;

/// <summary>
/// Issue #7, identities: behind oauth2-proxy (or any authenticating proxy before the OpenID Connect provider), the hub
/// believes the user and group headers only from the configured proxy address, and maps groups to console roles.
/// Real Kestrel on 127.0.0.1, so the remote address is real.
/// </summary>
public sealed class When_an_authenticating_proxy_is_in_front
{
    private static HubFactory Start(string knownProxy, out string baseUrl)
    {
        var hub = new HubFactory(new Dictionary<string, string?>
        {
            ["Hub:Operations:TrustedProxy:Enabled"] = "true",
            ["Hub:Operations:TrustedProxy:KnownProxies:0"] = knownProxy,
            ["Hub:Operations:TrustedProxy:Roles:hub-operators"] = "operator",
            ["Hub:Operations:TrustedProxy:Roles:hub-supervisors"] = "supervisor",
        });
        hub.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        hub.StartServer();
        baseUrl = hub.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return hub;
    }

    private static HttpClient ClientAs(string baseUrl, string? user, string? groups)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
        if (user is not null) client.DefaultRequestHeaders.Add("X-Forwarded-User", user);
        if (groups is not null) client.DefaultRequestHeaders.Add("X-Forwarded-Groups", groups);
        return client;
    }

    [Fact]
    public async Task Should_take_the_user_and_the_highest_mapped_role_from_the_proxy_and_audit_actions_in_their_name()
    {
        using var hub = Start("127.0.0.1", out var baseUrl);

        var whoami = await ClientAs(baseUrl, "alice@example.org", "staff, hub-operators,hub-supervisors").GetFromJsonAsync<JsonElement>("/api/v1/operations/whoami");
        Assert.Equal("alice@example.org", whoami.GetProperty("name").GetString());
        Assert.Equal("supervisor", whoami.GetProperty("role").GetString());

        using (var page = await ClientAs(baseUrl, "bob@example.org", "hub-operators").GetAsync("/operations/flow"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("Signed in as <strong>bob@example.org</strong> (operator)", await page.Content.ReadAsStringAsync());
        }
        using (var forbidden = await ClientAs(baseUrl, "bob@example.org", "hub-operators").PostAsJsonAsync("/api/v1/operations/retention/purge", new { }))
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        var trackingId = await hub.ClientFor("police").PostConcernAsync(TestConcerns.PoliceConcern());
        await hub.ClientFor("police").WaitForDecisionAsync(trackingId);
        using (var opened = await ClientAs(baseUrl, "alice@example.org", "hub-supervisors")
                   .PostAsJsonAsync($"/api/v1/operations/messages/{trackingId}/content", new { reason = "Strategy discussion request S-43" }))
            Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        var audit = await hub.ClientFor("operations").GetJsonAsync($"/api/v1/operations/audit?trackingId={trackingId}");
        Assert.Contains(audit.GetProperty("entries").EnumerateArray(),
            e => e.GetProperty("event").GetString() == "ContentOpened" && e.GetProperty("actor").GetString() == "alice@example.org (supervisor)");

        // No mapped group, or no user header: not signed in (the API says 401, the console sends to its sign-in page).
        using (var noRole = await ClientAs(baseUrl, "mallory@example.org", "staff").GetAsync("/api/v1/operations/whoami"))
            Assert.Equal(HttpStatusCode.Unauthorized, noRole.StatusCode);
        using (var anonymous = await ClientAs(baseUrl, null, "hub-supervisors").GetAsync("/operations/flow"))
            Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
    }

    [Fact]
    public async Task Should_ignore_the_headers_from_anywhere_but_the_configured_proxy()
    {
        using var hub = Start("10.9.8.7", out var baseUrl);
        using (var api = await ClientAs(baseUrl, "mallory@example.org", "hub-supervisors").GetAsync("/api/v1/operations/whoami"))
            Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        using (var page = await ClientAs(baseUrl, "mallory@example.org", "hub-supervisors").GetAsync("/operations/flow"))
        {
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.Contains("/operations/login", page.Headers.Location!.ToString());
        }
        // The usual ways in still work.
        var whoami = await hub.ClientAsUser("supervisor").GetJsonAsync("/api/v1/operations/whoami");
        Assert.Equal("supervisor", whoami.GetProperty("role").GetString());
    }
}
