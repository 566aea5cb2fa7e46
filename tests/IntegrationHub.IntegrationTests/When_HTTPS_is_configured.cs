using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using IntegrationHub.Testing;
using IntegrationHub.Tests;

namespace IntegrationHub.IntegrationTests;

/// <summary>The hub as an operator runs it: the built host as a process, serving HTTPS from Kestrel configuration alone.</summary>
[Trait("Category", "Integration")]
public sealed class When_HTTPS_is_configured : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ihub-https-").FullName;
    private Process? _host;

    [Fact]
    public async Task Should_serve_the_API_over_TLS_with_the_configured_certificate()
    {
        using var certificate = SelfSigned();
        var pfx = Path.Combine(_dir, "hub.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "test-password"));
        var port = FreePort.Get();
        var hostDll = HostDll();

        var start = new ProcessStartInfo("dotnet", [hostDll]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir };
        start.Environment["Urls"] = "";
        start.Environment["Kestrel__Endpoints__Https__Url"] = $"https://127.0.0.1:{port}";
        start.Environment["Kestrel__Endpoints__Https__Certificate__Path"] = pfx;
        start.Environment["Kestrel__Endpoints__Https__Certificate__Password"] = "test-password";
        start.Environment["Hub__DataDirectory"] = Path.Combine(_dir, "data");
        start.Environment["Hub__Security__GenerateMissingKeys"] = "false";
        start.Environment["Hub__Agencies__police__ApiKey"] = HubFactory.KeyFor("police");
        var log = new StringBuilder();
        _host = Process.Start(start)!;
        _host.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        _host.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        _host.BeginOutputReadLine();
        _host.BeginErrorReadLine();

        var thumbprint = certificate.Thumbprint;
        using var handler = new HttpClientHandler
        {
            // Trust exactly the certificate the hub was given, nothing else.
            ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert?.Thumbprint == thumbprint,
        };
        using var client = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{port}") };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if ((await client.GetAsync("/alive")).IsSuccessStatusCode) break;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !_host.HasExited)
            {
            }
            if (DateTime.UtcNow > deadline || _host.HasExited) Assert.Fail($"The hub did not answer over HTTPS:\n{log}");
            await Task.Delay(200);
        }

        client.DefaultRequestHeaders.Add("X-Api-Key", HubFactory.KeyFor("police"));
        var trackingId = await client.PostConcernAsync(TestConcerns.PoliceConcern());
        var decision = await client.WaitForDecisionAsync(trackingId);
        Assert.Contains("POL-01", decision.RuleIds());
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=integrationhub-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    /// <summary>The host built in the same configuration as these tests.</summary>
    internal static string HostDll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name; // bin/<Configuration>/net10.0
        var dll = Path.Combine(RealHub.RepositoryRoot(), "src", "IntegrationHub.Host", "bin", configuration, "net10.0", "IntegrationHub.Host.dll");
        Assert.True(File.Exists(dll), $"{dll} is not built");
        return dll;
    }

    public void Dispose()
    {
        if (_host is { HasExited: false })
        {
            _host.Kill(entireProcessTree: true);
            _host.WaitForExit(10_000);
        }
        _host?.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
