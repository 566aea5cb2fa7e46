using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using IntegrationHub.Ingress.Security;
using IntegrationHub.Testing;
using IntegrationHub.Tests;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// The built host as a process, serving HTTPS, with client certificates configured for the police (two: the current one and
/// its renewal) and education; health has an API key only. Certificates are made here, self-signed, as an agency might.
/// </summary>
public sealed class CertificateHub : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ihub-mtls-").FullName;
    private readonly StringBuilder _log = new();
    private Process? _host;
    private X509Certificate2? _server;

    public X509Certificate2 Police { get; } = ClientCertificate("police-2026");
    public X509Certificate2 PoliceRenewal { get; } = ClientCertificate("police-2027");
    public X509Certificate2 Education { get; } = ClientCertificate("education");
    public X509Certificate2 Unknown { get; } = ClientCertificate("not-configured");
    public X509Certificate2 Expired { get; } = ClientCertificate("police-expired", DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(-1));

    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _server = ServerCertificate();
        var pfx = Path.Combine(_dir, "hub.pfx");
        await File.WriteAllBytesAsync(pfx, _server.Export(X509ContentType.Pfx, "test-password"));
        var port = FreePort.Get();
        BaseAddress = new Uri($"https://127.0.0.1:{port}");

        var start = new ProcessStartInfo("dotnet", [When_HTTPS_is_configured.HostDll()])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir,
        };
        start.Environment["Urls"] = "";
        start.Environment["Kestrel__Endpoints__Https__Url"] = BaseAddress.ToString();
        start.Environment["Kestrel__Endpoints__Https__Certificate__Path"] = pfx;
        start.Environment["Kestrel__Endpoints__Https__Certificate__Password"] = "test-password";
        start.Environment["Hub__DataDirectory"] = Path.Combine(_dir, "data");
        start.Environment["Hub__Security__GenerateMissingKeys"] = "false";
        start.Environment["Hub__Operations__ApiKey"] = HubFactory.OperationsKey;
        start.Environment["Hub__Agencies__health__ApiKey"] = HubFactory.KeyFor("health");
        start.Environment["Hub__Agencies__police__ApiKey"] = HubFactory.KeyFor("police");
        // As openssl prints it (colons, upper case) and as a list, to show both are read.
        start.Environment["Hub__Agencies__police__CertificateThumbprint"] =
            $"{string.Join(':', ClientCertificateRegistry.ThumbprintOf(Police).Chunk(2).Select(c => new string(c)))}, {ClientCertificateRegistry.ThumbprintOf(Expired)}";
        start.Environment["Hub__Agencies__police__CertificateThumbprints__0"] = ClientCertificateRegistry.ThumbprintOf(PoliceRenewal).ToLowerInvariant();
        start.Environment["Hub__Agencies__education__CertificateThumbprints__0"] = ClientCertificateRegistry.ThumbprintOf(Education);
        _host = Process.Start(start)!;
        _host.OutputDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _host.ErrorDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _host.BeginOutputReadLine();
        _host.BeginErrorReadLine();

        using var client = Client(certificate: null);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if ((await client.GetAsync("/alive")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !_host.HasExited)
            {
            }
            if (DateTime.UtcNow > deadline || _host.HasExited) throw new InvalidOperationException($"The hub did not answer over HTTPS:\n{Log}");
            await Task.Delay(200);
        }
    }

    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    /// <summary>A client that trusts exactly the hub's certificate and presents <paramref name="certificate"/>, if any.</summary>
    public HttpClient Client(X509Certificate2? certificate, string? apiKey = null)
    {
        var thumbprint = _server!.Thumbprint;
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert?.Thumbprint == thumbprint,
            ClientCertificateOptions = ClientCertificateOption.Manual,
        };
        if (certificate is not null) handler.ClientCertificates.Add(certificate);
        var client = new HttpClient(handler, disposeHandler: true) { BaseAddress = BaseAddress };
        if (apiKey is not null) client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    public Task DisposeAsync()
    {
        if (_host is { HasExited: false })
        {
            _host.Kill(entireProcessTree: true);
            _host.WaitForExit(10_000);
        }
        _host?.Dispose();
        foreach (var certificate in new[] { Police, PoliceRenewal, Education, Unknown, Expired, _server }) certificate?.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }

    private static X509Certificate2 ClientCertificate(string name, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}, O=IntegrationHub tests", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false)); // clientAuth
        using var created = request.CreateSelfSigned(from ?? DateTimeOffset.UtcNow.AddMinutes(-5), to ?? DateTimeOffset.UtcNow.AddDays(1));
        // Through PKCS#12, so the private key is one SslStream can use on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    private static X509Certificate2 ServerCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=integrationhub-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }
}

/// <summary>Over HTTPS an agency can authenticate with its TLS client certificate instead of its API key (docs/api.md).</summary>
[Trait("Category", "Integration")]
public sealed class When_agencies_present_client_certificates(CertificateHub hub) : IClassFixture<CertificateHub>
{
    [Fact]
    public async Task Should_take_the_agency_from_the_certificate_and_route_its_concern()
    {
        using var police = hub.Client(hub.Police);

        var trackingId = await police.PostConcernAsync(TestConcerns.PoliceConcern());

        var decision = await police.WaitForDecisionAsync(trackingId);
        Assert.Equal("Police", decision.GetProperty("agency").GetString());
        Assert.Contains("POL-01", decision.RuleIds()); // a rule only the police's concerns fire
        using var education = hub.Client(hub.Education);
        Assert.Equal(HttpStatusCode.NotFound, (await education.GetAsync($"/api/v1/decisions/{trackingId}")).StatusCode);
    }

    [Fact]
    public async Task Should_accept_each_of_an_agencys_configured_certificates()
    {
        using var renewal = hub.Client(hub.PoliceRenewal);

        var trackingId = await renewal.PostConcernAsync(TestConcerns.PoliceConcern());

        Assert.Equal("Police", (await renewal.WaitForDecisionAsync(trackingId)).GetProperty("agency").GetString());
    }

    [Fact]
    public async Task Should_refuse_a_certificate_that_is_not_configured_or_out_of_date()
    {
        foreach (var certificate in new[] { hub.Unknown, hub.Expired })
        {
            using var client = hub.Client(certificate);
            using var response = await client.PostAsync("/api/v1/concerns", Json(TestConcerns.PoliceConcern()));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("Client certificate not recognised", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Should_refuse_a_body_that_claims_another_agency()
    {
        using var police = hub.Client(hub.Police);
        var claimsEducation = TestConcerns.PoliceConcern().Replace("\"senderReference\"", "\"agency\": \"Education\", \"senderReference\"", StringComparison.Ordinal);

        using var response = await police.PostAsync("/api/v1/concerns", Json(claimsEducation));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Should_refuse_a_key_and_a_certificate_of_two_agencies_and_keep_keys_working()
    {
        using var both = hub.Client(hub.Education, apiKey: HubFactory.KeyFor("police"));
        using var refused = await both.PostAsync("/api/v1/concerns", Json(TestConcerns.PoliceConcern()));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        using var keyOnly = hub.Client(certificate: null, apiKey: HubFactory.KeyFor("health"));
        var trackingId = await keyOnly.PostConcernAsync(TestConcerns.PoliceConcern());
        Assert.Equal("Health", (await keyOnly.WaitForDecisionAsync(trackingId)).GetProperty("agency").GetString());

        using var nothing = hub.Client(certificate: null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await nothing.PostAsync("/api/v1/concerns", Json(TestConcerns.PoliceConcern()))).StatusCode);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
