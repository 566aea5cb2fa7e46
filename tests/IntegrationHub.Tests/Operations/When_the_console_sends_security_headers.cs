using System.Net;
using System.Net.Http.Json;

namespace IntegrationHub.Tests.Operations;

/// <summary>Console pages and the operations API are never framed or sniffed, send no referrer, and the pages and a record's content are never cached.</summary>
public sealed class When_the_console_sends_security_headers : IClassFixture<SharedHub>
{
    private readonly HubFactory _hub;

    public When_the_console_sends_security_headers(SharedHub shared) => _hub = shared.Factory;

    private static void AssertNeverFramedOrSniffed(HttpResponseMessage response)
    {
        Assert.Equal("DENY", string.Join(",", response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("frame-ancestors 'none'", string.Join(",", response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", string.Join(",", response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task Should_send_them_on_console_pages_after_sign_in()
    {
        var console = ConsoleSignIn.For(_hub);
        using (var signedIn = await console.SignInAsync("operator", ConsoleSignIn.Password(_hub, "operator")))
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        foreach (var path in new[] { "/operations/flow", "/operations/flow/live", "/operations/failures" })
        {
            using var page = await console.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            AssertNeverFramedOrSniffed(page);
            Assert.True(page.Headers.CacheControl?.NoStore, $"{path}: Cache-Control {page.Headers.CacheControl}");
        }
    }

    [Fact]
    public async Task Should_send_them_with_a_record_opened_by_a_supervisor()
    {
        var trackingId = await _hub.ClientFor("police").PostConcernAsync(TestConcerns.PoliceConcern());
        await _hub.ClientFor("police").WaitForDecisionAsync(trackingId);
        using var opened = await _hub.ClientAsUser("supervisor")
            .PostAsJsonAsync($"/api/v1/operations/messages/{trackingId}/content", new { reason = "Strategy discussion request S-43" });
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        AssertNeverFramedOrSniffed(opened);
        Assert.True(opened.Headers.CacheControl?.NoStore, $"Cache-Control {opened.Headers.CacheControl}");
    }
}
