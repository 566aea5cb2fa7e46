using System.ComponentModel.DataAnnotations;

namespace IntegrationHub.Routing.Messaging;

public enum TransportKind
{
    /// <summary>MassTransit's in-memory transport: one process, nothing survives a restart except what is in the database.</summary>
    InMemory,
    /// <summary>RabbitMQ: durable quorum queues, publisher confirms, manual acknowledgements.</summary>
    RabbitMq,
}

/// <summary>The <c>Hub</c> section's messaging settings.</summary>
public sealed class MessagingOptions
{
    public const string SectionName = "Hub";

    public TransportKind Transport { get; set; } = TransportKind.InMemory;

    public RabbitMqOptions RabbitMq { get; set; } = new();

    /// <summary>Messages the router takes from the broker ahead of processing (MassTransit's default of 16 starves it).</summary>
    [Range(1, 10_000)]
    public int PrefetchCount { get; set; } = 256;

    /// <summary>Messages the router processes at once.</summary>
    [Range(1, 1_000)]
    public int ConcurrentMessageLimit { get; set; } = 32;

    /// <summary>
    /// Longest a send to a recipient (including the broker's confirm) may take before it is abandoned and the message
    /// retried: a send that never completes must not hold its consumer, and with it the endpoint's recovery, for ever.
    /// </summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Times a message that fails for a reason of its own is tried again (about 80 s in all at the default of 12, with
    /// backoff up to 10 s) before it is moved to its error queue. A database outage does not count against it: work that
    /// fails because the database cannot be reached is held and tried again until it can (decision 0015).
    /// </summary>
    [Range(0, 100)]
    public int RetryLimit { get; set; } = 12;

    /// <summary>Longest wait between two tries of work held for a database outage (the waits grow from 1 s to this).</summary>
    public TimeSpan OutageRetryInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>The <c>Hub:RabbitMq</c> section.</summary>
public sealed class RabbitMqOptions
{
    [Required]
    public string Host { get; set; } = "localhost";

    [Range(1, 65535)]
    public int Port { get; set; } = 5672;

    public string VirtualHost { get; set; } = "/";

    [Required]
    public string Username { get; set; } = "guest";

    [Required]
    public string Password { get; set; } = "guest";

    /// <summary>
    /// Connect over TLS (AMQPS). The broker's certificate must name <see cref="TlsServerName"/> (or <see cref="Host"/>) and
    /// chain to a CA the host trusts, or to <see cref="TlsCaCertificatePath"/> when that is set.
    /// </summary>
    public bool UseTls { get; set; }

    /// <summary>The server name on the broker's certificate, when it differs from <see cref="Host"/>.</summary>
    public string? TlsServerName { get; set; }

    /// <summary>
    /// A file of the CA certificate(s) (PEM, or one DER certificate) the broker's certificate must chain to, instead of the
    /// system trust store: a private CA need not be installed on the host. Revocation is not checked.
    /// </summary>
    public string? TlsCaCertificatePath { get; set; }

    /// <summary>Port of the management API, used by operations pages to read queue depths.</summary>
    [Range(1, 65535)]
    public int ManagementPort { get; set; } = 15672;

    /// <summary>
    /// Read the management API over HTTPS. Defaults to <see cref="UseTls"/>: a broker reached over AMQPS usually serves its
    /// API over HTTPS too, but not always. The broker's certificate is checked as for AMQPS: against
    /// <see cref="TlsCaCertificatePath"/> when set, for the name <see cref="TlsServerName"/> when set.
    /// </summary>
    public bool? ManagementUseTls { get; set; }

    /// <summary>The management API's base address, from <see cref="Host"/>, <see cref="ManagementPort"/> and <see cref="ManagementUseTls"/>.</summary>
    public Uri ManagementBaseUri => new UriBuilder((ManagementUseTls ?? UseTls) ? "https" : "http", Host, ManagementPort).Uri;
}
