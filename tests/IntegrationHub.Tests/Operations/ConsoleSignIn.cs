using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IntegrationHub.Tests.Operations;

/// <summary>
/// A browser's part in the console's form sign-in: the anti-forgery token from the sign-in page, and the cookies, kept
/// here rather than in the client so a test can take a session to a restarted hub.
/// </summary>
public sealed partial class ConsoleSignIn(HttpClient client)
{
    public Dictionary<string, string> Cookies { get; } = new(StringComparer.Ordinal);

    public static ConsoleSignIn For(HubFactory hub) =>
        new(hub.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }));

    public static string Password(HubFactory hub, string user) =>
        File.ReadAllText(Path.Combine(hub.DataDirectory, "keys", $"console-{user}.password")).Trim();

    /// <summary>Posts the sign-in form; a right password answers 302 to the console, a wrong one 401.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string user, string password)
    {
        using var form = await GetAsync("/operations/login");
        var token = AntiforgeryField().Match(await form.Content.ReadAsStringAsync());
        Assert.True(token.Success, "The sign-in page has no anti-forgery token.");
        return await SendAsync(new HttpRequestMessage(HttpMethod.Post, "/operations/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                [WebUtility.HtmlDecode(token.Groups[1].Value)] = WebUtility.HtmlDecode(token.Groups[2].Value),
                ["username"] = user,
                ["password"] = password,
            }),
        });
    }

    public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    /// <summary>Posts a console form as a browser does from <paramref name="page"/>: with that page's anti-forgery token.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string page, string action, IReadOnlyDictionary<string, string> fields)
    {
        using var form = await GetAsync(page);
        var token = AntiforgeryField().Match(await form.Content.ReadAsStringAsync());
        Assert.True(token.Success, $"{page} has no anti-forgery token.");
        var values = new Dictionary<string, string>(fields) { [WebUtility.HtmlDecode(token.Groups[1].Value)] = WebUtility.HtmlDecode(token.Groups[2].Value) };
        return await SendAsync(new HttpRequestMessage(HttpMethod.Post, action) { Content = new FormUrlEncodedContent(values) });
    }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        if (Cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", Cookies.Select(c => $"{c.Key}={c.Value}")));
        var response = await client.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var cookies))
        {
            foreach (var cookie in cookies)
            {
                var pair = cookie.Split(';')[0];
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var (name, value) = (pair[..eq], pair[(eq + 1)..]);
                if (value.Length == 0 || cookie.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)) Cookies.Remove(name);
                else Cookies[name] = value;
            }
        }
        return response;
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]+)\">")]
    private static partial Regex AntiforgeryField();
}
