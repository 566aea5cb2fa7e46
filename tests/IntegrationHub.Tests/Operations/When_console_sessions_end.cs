using System.Net;
using IntegrationHub.Operations.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Tests.Operations;

/// <summary>
/// A console session ends after <c>Hub:Operations:SessionHours</c> even while the live refresh keeps it in use, and
/// when its user is removed from configuration or given another role.
/// </summary>
public sealed class When_console_sessions_end : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("ihub-session-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Should_end_a_session_in_constant_use_after_its_absolute_lifetime()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var hub = new HubFactory(HubFactory.WithHourlyBackgroundLoops([]), services: s => s.AddSingleton<TimeProvider>(clock));
        var console = ConsoleSignIn.For(hub);
        using (var signedIn = await console.SignInAsync("operator", ConsoleSignIn.Password(hub, "operator")))
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        // The live refresh every half hour renews the 60-minute sliding cookie for 7.5 hours (the default limit is 8).
        for (var i = 0; i < 15; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(30));
            using var live = await console.GetAsync("/operations/flow/live");
            Assert.True(live.StatusCode == HttpStatusCode.OK, $"After {(i + 1) * 30} minutes: {(int)live.StatusCode}");
        }

        clock.Advance(TimeSpan.FromMinutes(31));
        using (var late = await console.GetAsync("/operations/flow/live"))
        {
            Assert.Equal(HttpStatusCode.Redirect, late.StatusCode);
            Assert.Contains("/operations/login", late.Headers.Location!.ToString());
        }
        Assert.DoesNotContain("hub.console", console.Cookies.Keys);
    }

    [Fact]
    public async Task Should_end_the_session_of_a_user_removed_or_given_another_role()
    {
        const string password = "correct horse battery staple";
        var hash = PasswordHashing.Hash(password, 1_000);
        HubFactory Restart(string? aliceRole)
        {
            var settings = new Dictionary<string, string?>
            {
                ["Hub:Operations:Users:bob:Role"] = "operator",
                ["Hub:Operations:Users:bob:PasswordHash"] = hash,
            };
            if (aliceRole is not null)
            {
                settings["Hub:Operations:Users:alice:Role"] = aliceRole;
                settings["Hub:Operations:Users:alice:PasswordHash"] = hash;
            }
            // The cookie is read on each restarted hub with the same keys, as on a host that keeps them.
            return new HubFactory(settings, _data, s => s.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(_data, "data-protection"))));
        }

        ConsoleSignIn first;
        using (var hub = Restart("supervisor"))
        {
            first = ConsoleSignIn.For(hub);
            using var signedIn = await first.SignInAsync("alice", password);
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }
        var cookie = first.Cookies["hub.console"];

        async Task<HttpResponseMessage> FlowOnRestartedHub(HubFactory hub)
        {
            var console = ConsoleSignIn.For(hub);
            console.Cookies["hub.console"] = cookie;
            return await console.GetAsync("/operations/flow");
        }

        // Unchanged, the session outlives a restart.
        using (var hub = Restart("supervisor"))
        using (var flow = await FlowOnRestartedHub(hub))
        {
            Assert.Equal(HttpStatusCode.OK, flow.StatusCode);
            Assert.Contains("Signed in as <strong>alice</strong> (supervisor)", await flow.Content.ReadAsStringAsync());
        }
        using (var hub = Restart("operator"))
        using (var flow = await FlowOnRestartedHub(hub))
        {
            Assert.Equal(HttpStatusCode.Redirect, flow.StatusCode);
            Assert.Contains("/operations/login", flow.Headers.Location!.ToString());
        }
        using (var hub = Restart(null))
        using (var flow = await FlowOnRestartedHub(hub))
        {
            Assert.Equal(HttpStatusCode.Redirect, flow.StatusCode);
            Assert.Contains("/operations/login", flow.Headers.Location!.ToString());
        }
    }
}
