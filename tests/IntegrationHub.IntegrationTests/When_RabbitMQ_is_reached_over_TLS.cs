using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using IntegrationHub.Routing.Messaging;
using IntegrationHub.Testing;
using IntegrationHub.Tests;
using RabbitMQ.Client;

namespace IntegrationHub.IntegrationTests;

/// <summary>A broker that speaks only AMQP over TLS, with a certificate from a private CA the host does not trust.</summary>
public sealed class TlsOnlyRabbitMq : RabbitMqFixture
{
    protected override RabbitMqNodeOptions Options => new() { EnableTls = true, EnablePlainAmqp = false, EnableManagement = false };
}

/// <summary>
/// The hub connects to RabbitMQ over TLS (<c>Hub:RabbitMq:UseTls</c>), trusting the broker's private CA from
/// <c>Hub:RabbitMq:TlsCaCertificatePath</c>, and routes a concern end to end; the plain AMQP port is closed.
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
