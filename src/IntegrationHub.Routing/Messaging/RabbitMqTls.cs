using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace IntegrationHub.Routing.Messaging;

/// <summary>How the hub checks the broker's certificate when <see cref="RabbitMqOptions.UseTls"/> is on.</summary>
public static class RabbitMqTls
{
    /// <summary>
    /// Null (the system's own validation) unless <see cref="RabbitMqOptions.TlsCaCertificatePath"/> is set; then a check that
    /// the certificate names the expected server and chains to one of the CAs in that file, and to nothing else.
    /// </summary>
    public static RemoteCertificateValidationCallback? ValidatorFor(RabbitMqOptions options) =>
        string.IsNullOrWhiteSpace(options.TlsCaCertificatePath) ? null : ValidatorFor(LoadCertificates(options.TlsCaCertificatePath));

    public static RemoteCertificateValidationCallback ValidatorFor(X509Certificate2Collection authorities) => (_, certificate, _, errors) =>
    {
        // The name check and the presence of a certificate stay the platform's; only the root of trust is ours.
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return Check(certificate, chain.Build);
    };

    /// <summary>
    /// How the management API's certificate is checked: against the CAs of <see cref="RabbitMqOptions.TlsCaCertificatePath"/>
    /// as for AMQPS, and, when <see cref="RabbitMqOptions.TlsServerName"/> is set, for that name instead of the host in the
    /// API's address (an HTTP client checks the address's host). Null (the system's own validation) when neither is set.
    /// </summary>
    public static RemoteCertificateValidationCallback? ManagementValidatorFor(RabbitMqOptions options)
    {
        var trust = ValidatorFor(options);
        var name = options.TlsServerName;
        if (string.IsNullOrWhiteSpace(name)) return trust;
        return (sender, certificate, chain, errors) =>
        {
            if (certificate is null || !Check(certificate, c => c.MatchesHostname(name))) return false;
            errors &= ~SslPolicyErrors.RemoteCertificateNameMismatch;
            return trust is null ? errors == SslPolicyErrors.None : trust(sender, certificate, chain, errors);
        };
    }

    /// <summary>A check of the presented certificate, as an <see cref="X509Certificate2"/> (loaded from its bytes when it is not one).</summary>
    private static bool Check(X509Certificate certificate, Func<X509Certificate2, bool> check)
    {
        if (certificate is X509Certificate2 presented) return check(presented);
        using var loaded = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return check(loaded);
    }

    /// <summary>Every certificate in a PEM file, or the one certificate of a DER file.</summary>
    public static X509Certificate2Collection LoadCertificates(string path)
    {
        var certificates = new X509Certificate2Collection();
        var text = File.ReadAllText(path);
        if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)) certificates.ImportFromPem(text);
        else certificates.Add(X509CertificateLoader.LoadCertificateFromFile(path));
        return certificates;
    }
}
