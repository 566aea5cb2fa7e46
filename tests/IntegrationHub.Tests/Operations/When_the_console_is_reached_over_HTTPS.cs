using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IntegrationHub.Tests.Operations;

/// <summary>
/// Found by a security review: the console's cookies were marked Secure only on a request the hub itself saw as HTTPS
/// (never the anti-forgery cookie), so behind a proxy that ends TLS they went out without it, and no answer carried HSTS.
/// Now, outside Development, an HTTPS answer carries <c>Strict-Transport-Security</c>; with
/// <c>Hub:Security:ServedOverHttps</c> the hub takes every request as HTTPS, as the browser made it. The embedded
/// default on plain http://localhost is unchanged.
/// </summary>
public sealed class When_the_console_is_reached_over_HTTPS
{
    private const string Hsts = "Strict-Transport-Security";

    private static ConsoleSignIn Browser(HubFactory hub, string address) =>
        new(hub.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri(address) }));

    private static Dictionary<string, string?> Production(Dictionary<string, string?>? settings = null)
    {
        settings ??= [];
        settings["environment"] = "Production";
        return settings;
    }

    /// <summary>The <c>Set-Cookie</c> line of the named cookie in a response.</summary>
    private static string CookieLine(HttpResponseMessage response, string name) =>
        Assert.Single(response.Headers.TryGetValues("Set-Cookie", out var lines) ? lines : [], l => l.StartsWith(name + "=", StringComparison.Ordinal));

    private static bool IsSecure(string cookieLine) =>
        cookieLine.Split(';', StringSplitOptions.TrimEntries).Any(a => a.Equals("secure", StringComparison.OrdinalIgnoreCase));

    /// <summary>Gets the sign-in page (the anti-forgery cookie) and signs in (the session cookie).</summary>
    private static async Task<(HttpResponseMessage Form, HttpResponseMessage SignedIn)> SignInAsync(HubFactory hub, ConsoleSignIn browser)
    {
        var form = await browser.GetAsync("/operations/login");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var signedIn = await browser.SignInAsync("operator", ConsoleSignIn.Password(hub, "operator"));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return (form, signedIn);
    }

    [Fact]
    public async Task Should_mark_both_cookies_Secure_and_send_HSTS_for_a_year_on_HTTPS()
    {
        using var hub = new HubFactory(Production());
        var browser = Browser(hub, "https://hub.example.org");

        var (form, signedIn) = await SignInAsync(hub, browser);

        Assert.True(IsSecure(CookieLine(form, "hub.console.af")), CookieLine(form, "hub.console.af"));
        Assert.True(IsSecure(CookieLine(signedIn, "hub.console")), CookieLine(signedIn, "hub.console"));
        Assert.Equal("max-age=31536000", string.Join(",", form.Headers.GetValues(Hsts)));
        using var page = await browser.GetAsync("/operations/flow");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("max-age=31536000", string.Join(",", page.Headers.GetValues(Hsts)));
    }

    [Fact]
    public async Task Should_take_every_request_as_HTTPS_behind_a_proxy_that_ends_TLS_when_told_so()
    {
        using var hub = new HubFactory(Production(new() { ["Hub:Security:ServedOverHttps"] = "true" }));
        var browser = Browser(hub, "http://hub.example.org"); // the proxy forwards plain HTTP

        using var toSignIn = await browser.GetAsync("/operations/flow");
        Assert.Equal(HttpStatusCode.Redirect, toSignIn.StatusCode);
        Assert.StartsWith("https://hub.example.org/operations/login", toSignIn.Headers.Location?.ToString());
        var (form, signedIn) = await SignInAsync(hub, browser);

        Assert.True(IsSecure(CookieLine(form, "hub.console.af")), CookieLine(form, "hub.console.af"));
        Assert.True(IsSecure(CookieLine(signedIn, "hub.console")), CookieLine(signedIn, "hub.console"));
        Assert.Equal("max-age=31536000", string.Join(",", form.Headers.GetValues(Hsts)));
    }

    [Fact]
    public async Task Should_keep_the_embedded_default_on_plain_http_to_localhost()
    {
        using var hub = new HubFactory(Production());
        var browser = Browser(hub, "http://localhost");

        var (form, signedIn) = await SignInAsync(hub, browser);

        Assert.False(IsSecure(CookieLine(form, "hub.console.af")), CookieLine(form, "hub.console.af"));
        Assert.False(IsSecure(CookieLine(signedIn, "hub.console")), CookieLine(signedIn, "hub.console"));
        Assert.False(form.Headers.Contains(Hsts));
        using var page = await browser.GetAsync("/operations/flow");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task Should_send_no_HSTS_in_Development_or_to_a_loopback_name()
    {
        using var development = new HubFactory(); // the test host's environment is Development
        var (form, signedIn) = await SignInAsync(development, Browser(development, "https://hub.example.org"));
        Assert.False(form.Headers.Contains(Hsts));
        Assert.True(IsSecure(CookieLine(signedIn, "hub.console")), CookieLine(signedIn, "hub.console"));

        using var production = new HubFactory(Production());
        using var local = await Browser(production, "https://localhost").GetAsync("/operations/login");
        Assert.False(local.Headers.Contains(Hsts)); // HSTS for localhost would hold every local site of the browser to HTTPS
    }
}
