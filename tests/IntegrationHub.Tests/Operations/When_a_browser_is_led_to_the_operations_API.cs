using System.Net;
using System.Text;

namespace IntegrationHub.Tests.Operations;

/// <summary>
/// A browser never learns to send Basic credentials to the hub (the API's 401 asks for none it knows), and a change
/// that a page of another site makes it send is refused, whatever it carries. Scripts send no Origin and still work.
/// </summary>
public sealed class When_a_browser_is_led_to_the_operations_API : IClassFixture<SharedHub>
{
    private readonly HubFactory _hub;

    public When_a_browser_is_led_to_the_operations_API(SharedHub shared) => _hub = shared.Factory;

    private async Task<HttpResponseMessage> PurgeAsync(string? origin)
    {
        // What a cross-site <form method="post"> with no fields sends, with credentials a browser has cached.
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/operations/retention/purge")
        {
            Content = new StringContent("", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        if (origin is not null) request.Headers.Add("Origin", origin);
        return await _hub.ClientAsUser("admin").SendAsync(request);
    }

    [Fact]
    public async Task Should_not_ask_a_browser_for_Basic_credentials()
    {
        using var response = await _hub.CreateClient().GetAsync("/api/v1/operations/whoami");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain(response.Headers.WwwAuthenticate, h => string.Equals(h.Scheme, "Basic", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Should_refuse_a_change_from_another_site()
    {
        using var evil = await PurgeAsync("https://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, evil.StatusCode);
        using var opaque = await PurgeAsync("null");
        Assert.Equal(HttpStatusCode.Forbidden, opaque.StatusCode);
    }

    [Fact]
    public async Task Should_take_the_same_change_from_a_script_or_from_the_hub_itself()
    {
        using var script = await PurgeAsync(null);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        using var sameOrigin = await PurgeAsync(_hub.Server.BaseAddress.GetLeftPart(UriPartial.Authority));
        Assert.Equal(HttpStatusCode.OK, sameOrigin.StatusCode);
    }
}
