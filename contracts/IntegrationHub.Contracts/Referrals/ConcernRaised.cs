using IntegrationHub.Contracts.Common;

namespace IntegrationHub.Contracts.Referrals;

/// <summary>An agency raised a concern and the hub accepted it for routing.</summary>
public sealed record ConcernRaised
{
    /// <summary>The hub's tracking id for the concern; the sender reads the decision with it.</summary>
    public required Guid TrackingId { get; init; }
    /// <summary>The sending agency, taken from its credentials.</summary>
    public required Agency Agency { get; init; }
    /// <summary>When the hub received it.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }
    /// <summary>How it arrived: <c>http</c>, <c>fhir</c> or <c>amqp</c>.</summary>
    public string Channel { get; init; } = "http";
    /// <summary>
    /// The child's pseudonymous key, set by the hub when it stripped the child's identifiers before routing (an anonymous
    /// consultation, Y13-03); otherwise the router derives it from the identifiers.
    /// </summary>
    public string? ChildKey { get; init; }
    /// <summary>
    /// Set by the hub when the concern was raised from a return interview's findings (RI-01): the tracking id of the
    /// <c>ReturnInterviewCompleted</c> message. Agencies never set it.
    /// </summary>
    public Guid? FromReturnInterview { get; init; }
    /// <summary>
    /// Set by the hub: the SHA-256 of the body the agency sent (base64 in JSON), when it sent it under an idempotency key
    /// (HTTP <c>Idempotency-Key</c>, AMQP <c>message_id</c>). The router compares it with the one kept under the key to
    /// tell a redelivery (the same bytes) from a different concern under a reused key. Agencies never set it.
    /// </summary>
    public byte[]? BodySha256 { get; init; }
    /// <summary>The concern itself.</summary>
    public required Concern Concern { get; init; }
}
