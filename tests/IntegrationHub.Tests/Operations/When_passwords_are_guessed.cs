using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace IntegrationHub.Tests.Operations;

/// <summary>
/// Password guessing is limited per client address (<c>Hub:Operations:SignInAttemptsPerMinute</c>, 10): on the
/// console's sign-in form and with Basic credentials on the operations API. Each refusal is logged without the password.
/// </summary>
public sealed class When_passwords_are_guessed
{
    private const string WrongPassword = "not-the-password-1234";

    [Fact]
    public async Task Should_refuse_the_eleventh_sign_in_form_from_one_address_within_a_minute()
    {
        using var hub = new HubFactory();
        var console = ConsoleSignIn.For(hub);
        for (var i = 1; i <= 10; i++)
        {
            using var wrong = await console.SignInAsync("operator", WrongPassword);
            Assert.True(wrong.StatusCode == HttpStatusCode.Unauthorized, $"Attempt {i}: {(int)wrong.StatusCode}");
        }

        // The eleventh is refused before the password is looked at, right or wrong.
        using var refused = await console.SignInAsync("operator", ConsoleSignIn.Password(hub, "operator"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("too many attempts to sign in", await refused.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("hub.console", console.Cookies.Keys);

        Assert.Equal(10, hub.Logs.Count(l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("Console sign-in refused for user operator from", StringComparison.Ordinal)));
        Assert.DoesNotContain(hub.Logs, l => l.Contains(WrongPassword, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_refuse_Basic_credentials_after_ten_wrong_ones_from_one_address()
    {
        using var hub = new HubFactory();
        var client = hub.CreateClient();
        async Task<HttpStatusCode> WhoAmIAsync(string user, string password)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/operations/whoami");
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await WhoAmIAsync("admin", ConsoleSignIn.Password(hub, "admin")));
        for (var i = 1; i <= 10; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, await WhoAmIAsync(i % 2 == 0 ? "admin" : "nobody", WrongPassword));
        Assert.Equal(HttpStatusCode.TooManyRequests, await WhoAmIAsync("admin", ConsoleSignIn.Password(hub, "admin")));

        Assert.Equal(5, hub.Logs.Count(l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("Operations API sign-in refused for user admin from", StringComparison.Ordinal)));
        // A name that is no user's may be a password typed into the wrong field: it is not logged.
        Assert.Equal(5, hub.Logs.Count(l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("Operations API sign-in refused for user (not a user) from", StringComparison.Ordinal)));
        Assert.DoesNotContain(hub.Logs, l => l.Contains("nobody", StringComparison.Ordinal));
        Assert.DoesNotContain(hub.Logs, l => l.Contains(WrongPassword, StringComparison.Ordinal));
        // The operations key is not a password: it is not limited.
        using var withKey = await hub.ClientFor("operations").GetAsync("/api/v1/operations/whoami");
        Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
    }
}
