using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Ingress.Amqp;
using IntegrationHub.Operations.Failures;
using IntegrationHub.Routing.Messaging;
using IntegrationHub.Testing;
using IntegrationHub.Tests;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// A broker that speaks only AMQP over TLS and serves its management API only over HTTPS, with a certificate from a
/// private CA the host does not trust.
/// </summary>
public sealed class TlsOnlyRabbitMq : RabbitMqFixture
{
    protected override RabbitMqNodeOptions Options => new() { EnableTls = true, EnablePlainAmqp = false, ManagementOverTls = true };
}

/// <summary>
/// The hub connects to RabbitMQ over TLS (<c>Hub:RabbitMq:UseTls</c>), trusting the broker's private CA from
/// <c>Hub:RabbitMq:TlsCaCertificatePath</c>, and routes a concern end to end; the plain AMQP port is closed. The
/// operations console reads queue depths from the management API over HTTPS with the same trust.
/// </summary>
[Trait("Category", "Integration")]
public sealed class When_RabbitMQ_is_reached_over_TLS(TlsOnlyRabbitMq rabbit) : IClassFixture<TlsOnlyRabbitMq>
{
    private Dictionary<string, string?> Settings() => new()
    {
        ["Hub:Transport"] = "RabbitMq",
        ["Hub:RabbitMq:Host"] = "127.0.0.1",
        ["Hub:RabbitMq:Port"] = rabbit.Node.AmqpsPort.ToString(CultureInfo.InvariantCulture),
        ["Hub:RabbitMq:Username"] = "guest",
        ["Hub:RabbitMq:Password"] = "guest",
        ["Hub:RabbitMq:UseTls"] = "true",
        ["Hub:RabbitMq:TlsServerName"] = "localhost",
        ["Hub:RabbitMq:TlsCaCertificatePath"] = rabbit.Node.TlsCaCertificateFile,
    };

    [Fact]
    public async Task Should_route_a_concern_end_to_end_over_TLS()
    {
        Assert.False(FreePort.IsListening(rabbit.Node.AmqpPort)); // nothing but TLS to connect to
        using var hub = new HubFactory(Settings());
        var police = hub.ClientFor("police");

        var trackingId = await police.PostConcernAsync(TestConcerns.PoliceConcern());
        var decision = await police.WaitForDecisionAsync(trackingId); // decided and delivered, through the broker

        Assert.Contains("POL-01", decision.RuleIds());
        await using var connection = await Factory(RabbitMqTls.ValidatorFor(RabbitMqTls.LoadCertificates(rabbit.Node.TlsCaCertificateFile))).CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var delivered = false;
        while (await channel.BasicGetAsync("mash.referrals", autoAck: true) is { } message)
            delivered |= JsonDocument.Parse(message.Body).RootElement.GetProperty("trackingId").GetGuid() == trackingId;
        Assert.True(delivered, "The MASH's copy is not on mash.referrals.");
        var connections = await rabbit.Node.RabbitMqCtlAsync("list_connections", "-q", "--no-table-headers", "user", "ssl");
        Assert.Contains("guest\ttrue", connections, StringComparison.Ordinal);
        Assert.DoesNotContain("false", connections, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_reach_the_error_queues_to_tidy_them_with_the_same_trust_as_the_bus()
    {
        using var hub = new HubFactory(Settings());
        _ = hub.CreateClient();

        // Null would mean the broker could not be reached: the hub's own short connections must trust the private CA too.
        var router = await hub.Services.GetRequiredService<RabbitMqErrorQueue>().RemoveAsync([Guid.NewGuid()], CancellationToken.None);
        var agencies = await hub.Services.GetRequiredService<AgencyErrorQueues>().RemoveAsync([Guid.NewGuid()], CancellationToken.None);

        Assert.NotNull(router);
        Assert.NotNull(agencies);
        Assert.Empty(router);
        Assert.Empty(agencies);
    }

    [Fact]
    public async Task Should_not_connect_to_a_broker_whose_certificate_another_CA_issued()
    {
        using var otherCa = OtherCa();

        await Assert.ThrowsAnyAsync<Exception>(() => Factory(RabbitMqTls.ValidatorFor([otherCa])).CreateConnectionAsync());
        await Assert.ThrowsAnyAsync<Exception>(() => Factory(validator: null).CreateConnectionAsync()); // the system store does not know the test CA
    }

    [Fact]
    public async Task Should_not_connect_to_a_broker_whose_certificate_names_another_host()
    {
        var right = RabbitMqTls.ValidatorFor(RabbitMqTls.LoadCertificates(rabbit.Node.TlsCaCertificateFile));

        await Assert.ThrowsAnyAsync<Exception>(() => Factory(right, serverName: "broker.example.org").CreateConnectionAsync());
        await using var connection = await Factory(right).CreateConnectionAsync(); // the same CA and the right name do connect
        Assert.True(connection.IsOpen);
    }

    [Fact]
    public async Task Should_read_queue_depths_from_the_management_API_over_HTTPS_trusting_the_private_CA()
    {
        var settings = Settings();
        settings["Hub:RabbitMq:ManagementPort"] = rabbit.Node.ManagementPort.ToString(CultureInfo.InvariantCulture);
        using var hub = new HubFactory(settings);
        var ops = hub.ClientFor("operations");

        // The router's consumer shows once the bus has started.
        var queues = await OperationsPolling.EventuallyAsync(ops, "/api/v1/operations/queues", q => q.GetProperty("queues").EnumerateArray()
            .Any(r => r.GetProperty("name").GetString() == "hub.route-concern" && r.TryGetProperty("consumers", out var c) && c.ValueKind == JsonValueKind.Number && c.GetInt32() >= 1),
            "the queues page shows the router's consumer");

        Assert.Equal("RabbitMQ management API", queues.GetProperty("source").GetString());
        Assert.False(queues.TryGetProperty("problem", out var problem) && problem.ValueKind == JsonValueKind.String, problem.ToString());
        Assert.Contains(queues.GetProperty("queues").EnumerateArray(), r => r.GetProperty("name").GetString() == "mash.referrals");
    }

    [Fact]
    public async Task Should_say_which_address_failed_when_the_management_API_is_read_over_plain_HTTP()
    {
        var settings = Settings();
        settings["Hub:RabbitMq:ManagementPort"] = rabbit.Node.ManagementPort.ToString(CultureInfo.InvariantCulture);
        settings["Hub:RabbitMq:ManagementUseTls"] = "false"; // but the broker serves it over HTTPS only
        using var hub = new HubFactory(settings);

        var queues = await hub.ClientFor("operations").GetFromJsonAsync<JsonElement>("/api/v1/operations/queues", ContractJson.Options);

        var problem = queues.GetProperty("problem").GetString();
        Assert.StartsWith($"The management API at http://127.0.0.1:{rabbit.Node.ManagementPort}/ did not answer: ", problem, StringComparison.Ordinal);
        Assert.Empty(queues.GetProperty("queues").EnumerateArray());
    }

    [Fact]
    public async Task Should_check_the_management_API_certificate_against_the_private_CA_and_the_configured_name()
    {
        RabbitMqOptions Options(string? caFile, string? serverName = null) => new()
        {
            Host = "127.0.0.1", UseTls = true, ManagementPort = rabbit.Node.ManagementPort, TlsCaCertificatePath = caFile, TlsServerName = serverName,
        };
        var ca = rabbit.Node.TlsCaCertificateFile;
        Assert.Equal(new Uri($"https://127.0.0.1:{rabbit.Node.ManagementPort}/"), Options(ca).ManagementBaseUri);

        Assert.True(await ManagementAnswersAsync(Options(ca))); // the address's host, 127.0.0.1, is on the certificate
        Assert.True(await ManagementAnswersAsync(Options(ca, serverName: "localhost")));
        Assert.False(await ManagementAnswersAsync(Options(ca, serverName: "broker.example.org")));
        Assert.False(await ManagementAnswersAsync(Options(caFile: null))); // the system store does not know the test CA
    }

    /// <summary>Whether the management API answers (401 without credentials is an answer) over a connection the hub's check accepts.</summary>
    private static async Task<bool> ManagementAnswersAsync(RabbitMqOptions options)
    {
        using var handler = new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = RabbitMqTls.ManagementValidatorFor(options) } };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            using var response = await client.GetAsync(new Uri(options.ManagementBaseUri, "api/overview"));
            return true;
        }
        catch (HttpRequestException ex) when (ex.InnerException is System.Security.Authentication.AuthenticationException)
        {
            return false;
        }
    }

    private ConnectionFactory Factory(System.Net.Security.RemoteCertificateValidationCallback? validator, string serverName = "localhost") => new()
    {
        HostName = "127.0.0.1",
        Port = rabbit.Node.AmqpsPort,
        UserName = "guest",
        Password = "guest",
        Ssl = new SslOption { Enabled = true, ServerName = serverName, CertificateValidationCallback = validator },
        AutomaticRecoveryEnabled = false,
    };

    private static X509Certificate2 OtherCa()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=Some other CA", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }
}
