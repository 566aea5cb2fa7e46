using System.Net;
using System.Net.Http.Headers;
using System.Text;
using IntegrationHub.Tests.Agencies;

namespace IntegrationHub.Tests.Ingress;

/// <summary>JSON may start with a UTF-8 byte-order mark (RFC 8259 8.1); Windows tools often write one.</summary>
public sealed class When_a_body_starts_with_a_byte_order_mark : IDisposable
{
    private readonly HubFactory _hub = new();

    private static ByteArrayContent WithMark(string json)
    {
        var content = new ByteArrayContent([.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(json)]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    [Fact]
    public async Task Should_read_a_concern_and_an_agency_format_as_without_it()
    {
        var police = _hub.ClientFor("police");

        using var concern = await police.PostAsync("/api/v1/concerns", WithMark(TestConcerns.PoliceConcern()));
        using var ppd1 = await police.PostAsync("/api/v1/inbound/Ppd1Notification",
            WithMark(File.ReadAllText(Path.Combine(When_agencies_send_their_own_formats.Examples, "police", "Ppd1Notification.json"))));

        Assert.True(concern.StatusCode == HttpStatusCode.Accepted, await concern.Content.ReadAsStringAsync());
        Assert.True(ppd1.StatusCode == HttpStatusCode.Accepted, await ppd1.Content.ReadAsStringAsync());
    }

    public void Dispose() => _hub.Dispose();
}
