using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IntegrationHub.Contracts.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Configuration;

namespace IntegrationHub.Ingress.Security;

/// <summary>
/// Agencies that authenticate over HTTPS with a TLS client certificate instead of an API key. Each certificate is pinned by
/// its SHA-256 thumbprint in <c>Hub:Agencies:&lt;agency&gt;:CertificateThumbprint</c> (several may be separated by commas,
/// e.g. the current and the next certificate during a renewal) or <c>Hub:Agencies:&lt;agency&gt;:CertificateThumbprints:&lt;n&gt;</c>.
/// The pin is the trust: the certificate's chain is not checked, its validity dates are.
/// </summary>
public sealed class ClientCertificateRegistry(IConfiguration configuration, TimeProvider clock)
{
    private readonly IReadOnlyDictionary<string, Agency> _byThumbprint = Read(configuration);

    /// <summary>The agency whose certificate this is, or null for a certificate the hub does not know or one out of its dates.</summary>
    public Caller? Find(X509Certificate2 certificate)
    {
        var now = clock.GetUtcNow();
        if (now < certificate.NotBefore.ToUniversalTime() || now > certificate.NotAfter.ToUniversalTime()) return null;
        return _byThumbprint.TryGetValue(ThumbprintOf(certificate), out var agency) ? Caller.ForAgency(agency) : null;
    }

    /// <summary>Upper-case hex SHA-256 of the certificate (DER), as <c>openssl x509 -noout -fingerprint -sha256</c> prints it without colons.</summary>
    public static string ThumbprintOf(X509Certificate2 certificate) => Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));

    /// <summary>Every configured thumbprint and its agency; a malformed or doubly assigned thumbprint stops the hub with the setting's name.</summary>
    public static IReadOnlyDictionary<string, Agency> Read(IConfiguration configuration)
    {
        var byThumbprint = new Dictionary<string, Agency>(StringComparer.Ordinal);
        foreach (var agency in Enum.GetValues<Agency>())
        {
            var section = $"Hub:Agencies:{agency.ToString().ToLowerInvariant()}";
            var single = $"{section}:CertificateThumbprint";
            var values = (configuration[single] ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(v => (Setting: single, Value: v))
                .Concat(configuration.GetSection($"{section}:CertificateThumbprints").GetChildren().Select(c => (Setting: c.Path, Value: c.Value ?? "")));
            foreach (var (setting, value) in values)
            {
                var thumbprint = value.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
                if (thumbprint.Length != 64 || !thumbprint.All(Uri.IsHexDigit))
                    throw new InvalidOperationException($"{setting}: '{value}' is not a SHA-256 thumbprint (64 hex digits).");
                if (byThumbprint.TryGetValue(thumbprint, out var other) && other != agency)
                    throw new InvalidOperationException($"{setting}: {thumbprint} is also configured for {other}.");
                byThumbprint[thumbprint] = agency;
            }
        }
        return byThumbprint;
    }
}

public static class ClientCertificateHosting
{
    /// <summary>
    /// When any agency has a certificate configured, HTTPS endpoints ask for (but do not require) a client certificate, so
    /// agencies with API keys, and browsers on the operations console, are not asked to present one otherwise.
    /// </summary>
    public static WebApplicationBuilder AddHubClientCertificates(this WebApplicationBuilder builder)
    {
        if (ClientCertificateRegistry.Read(builder.Configuration).Count == 0) return builder;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
        {
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            // Agency certificates are pinned by thumbprint (ClientCertificateRegistry); a self-signed one is as good as any.
            https.ClientCertificateValidation = (_, _, _) => true;
        }));
        return builder;
    }
}
