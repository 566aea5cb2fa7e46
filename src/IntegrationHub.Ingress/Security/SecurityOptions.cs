namespace IntegrationHub.Ingress.Security;

/// <summary>One agency's credentials (<c>Hub:Agencies:&lt;agency&gt;</c>). Give the key itself, or only its SHA-256 (hex).</summary>
public sealed class AgencyCredentials
{
    public string? ApiKey { get; set; }
    public string? ApiKeySha256 { get; set; }
}

/// <summary>The operations key (<c>Hub:Operations</c>).</summary>
public sealed class OperationsCredentials
{
    public string? ApiKey { get; set; }
    public string? ApiKeySha256 { get; set; }
}

/// <summary>The <c>Hub:Security</c> section.</summary>
public sealed class SecurityOptions
{
    public const string SectionName = "Hub:Security";

    /// <summary>
    /// Generate a key for every agency (and operations) that has none, and write it under the data directory.
    /// Defaults to on for the embedded in-memory mode and off otherwise.
    /// </summary>
    public bool? GenerateMissingKeys { get; set; }

    /// <summary>
    /// How long an agency's previous key keeps working after an admin issues a new one. Zero (the default): at once.
    /// </summary>
    public TimeSpan KeyRotationGrace { get; set; } = TimeSpan.Zero;

    /// <summary>How often each instance re-reads the issued agency keys from the database (keys issued on another instance).</summary>
    public TimeSpan IssuedKeyRefresh { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Browsers reach the hub only over HTTPS, through a reverse proxy that ends TLS and forwards plain HTTP: every
    /// request is taken as HTTPS, so the console's cookies are marked Secure, its redirects say https and answers carry
    /// HSTS. Off by default: on a plain HTTP request the cookies are then not Secure (the embedded http://localhost).
    /// </summary>
    public bool ServedOverHttps { get; set; }
}
