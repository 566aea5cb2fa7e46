using System.ComponentModel.DataAnnotations;

namespace IntegrationHub.Routing.Sharing.Webhooks;

/// <summary>
/// Delivery over HTTP for a recipient with no AMQP client (<c>Hub:Recipients:&lt;Recipient&gt;:Webhook</c>), e.g. a MASH
/// case-management system with a web API. When set, the hub reads that recipient's queue itself and POSTs each delivery.
/// </summary>
public sealed class WebhookOptions
{
    /// <summary>Where to POST; null means the recipient reads its queue itself.</summary>
    public Uri? Url { get; set; }

    /// <summary>Sent as a bearer token, when the recipient's API wants one.</summary>
    public string? BearerToken { get; set; }

    /// <summary>Time allowed for one attempt.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries of one POST after the first attempt, with jittered exponential backoff; after them, a delivery the API is down for is held and tried again (decision 0015), one it refuses for its content goes to the error queue.</summary>
    [Range(0, 20)]
    public int MaxRetries { get; set; } = 6;

    /// <summary>First backoff delay; later ones grow exponentially.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the circuit stays open after the recipient keeps failing.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}
