namespace IntegrationHub.Persistence;

/// <summary>A message the hub accepted (a concern, a missing report...), with its content as received.</summary>
public sealed class MessageRecord
{
    public Guid TrackingId { get; set; }
    public required string Agency { get; set; }
    public required string Kind { get; set; }
    public required string Channel { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public MessageStatus Status { get; set; }
    /// <summary>The canonical message as JSON: personal data; never logged.</summary>
    public required string Payload { get; set; }
    /// <summary>
    /// SHA-256 of the body as the sender sent it, for a concern received under an idempotency key: a retry under the key
    /// sends the same bytes; different bytes are a different concern under a reused key (<c>ReusedKeys</c>). Null for
    /// rows from before it was kept, concerns the hub raised itself, and once retention purged the content.
    /// </summary>
    public byte[]? BodySha256 { get; set; }
    public string? ChildKey { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    /// <summary>Set when retention purged the content: <see cref="Payload"/> is then empty and only metadata remains (a tombstone).</summary>
    public DateTimeOffset? PurgedAt { get; set; }
}

public enum MessageStatus
{
    Received = 0,
    Decided = 1,
}

/// <summary>One decision about a message. A replay through a changed protocol adds a revision; history is kept.</summary>
public sealed class DecisionRecord
{
    public long Id { get; set; }
    public Guid TrackingId { get; set; }
    public int Revision { get; set; }
    public DateTimeOffset DecidedAt { get; set; }
    public required string ProtocolVersion { get; set; }
    /// <summary>The <c>RoutingDecision</c> as JSON (no personal data: rule ids, recipients, field names, reasons).</summary>
    public required string Decision { get; set; }
    /// <summary>Space-separated rule ids, for search.</summary>
    public required string RuleIds { get; set; }
}

/// <summary>A copy for one recipient, written in the decision's transaction and sent after it commits (a transactional outbox).</summary>
public sealed class DeliveryRecord
{
    public Guid DeliveryId { get; set; }
    public Guid TrackingId { get; set; }
    public required string Recipient { get; set; }
    public required string Queue { get; set; }
    /// <summary>The contract sent: <c>ConcernShared</c> to recipients, <c>DecisionNotToShareRejected</c> to an agency's feedback queue.</summary>
    public string MessageKind { get; set; } = "ConcernShared";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    /// <summary>
    /// No longer counted (docs/decisions/0011): 0 on deliveries staged since, and never read. The column stays so a
    /// database created earlier, and an instance not yet upgraded, keep taking inserts.
    /// </summary>
    public int Attempts { get; set; }
    /// <summary>The <c>ConcernShared</c> message as JSON: personal data; never logged.</summary>
    public required string Payload { get; set; }
    /// <summary>
    /// Not stored: the message <see cref="Payload"/> was written from, when it was staged in this process, so the sender
    /// need not parse the payload back. Null for a delivery read from the database; then the payload is sent.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Schema.NotMapped]
    public object? Message { get; set; }
}

/// <summary>Marks a message id as processed by a consumer, in the same transaction as its effects.</summary>
public sealed class InboxRecord
{
    public Guid MessageId { get; set; }
    public required string Consumer { get; set; }
    public DateTimeOffset ProcessedAt { get; set; }
}

/// <summary>An append-only audit entry: ids and events, never personal data.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public Guid? TrackingId { get; set; }
    public required string Event { get; set; }
    public required string Actor { get; set; }
    public required string Detail { get; set; }
    /// <summary>Position in the hash chain, given by the sealer; null until sealed (see docs/decisions/0005-audit-hash-chain.md).</summary>
    public long? ChainIndex { get; set; }
    /// <summary>The hash of the entry before this one in the chain.</summary>
    public string? PreviousHash { get; set; }
    /// <summary>SHA-256 over this entry's fields and <see cref="PreviousHash"/>.</summary>
    public string? Hash { get; set; }
}

/// <summary>Input the hub refused, kept whole so nothing is lost: visible to operations and replayable.</summary>
public sealed class QuarantineRecord
{
    public Guid Id { get; set; }
    public DateTimeOffset At { get; set; }
    public string? Agency { get; set; }
    public required string Channel { get; set; }
    /// <summary>
    /// The kind of message it was sent as (an inbound kind: <c>Concern</c>, <c>FhirBundle</c>, <c>Ppd1Notification</c>,
    /// <c>ChildFound</c>…), so that a replay reads it as the sender meant; null for what is not replayed.
    /// </summary>
    public string? Kind { get; set; }
    public string? ContentType { get; set; }
    public required string Reason { get; set; }
    /// <summary>The raw body as received (may hold personal data; never logged).</summary>
    public required byte[] Body { get; set; }
    public int BodyLength { get; set; }
    public QuarantineStatus Status { get; set; }
    /// <summary>The tracking id it was replayed as. While it is still <see cref="QuarantineStatus.Held"/>: a replay has claimed
    /// it and not finished (it may be routed already), so it is not discarded until a replay finishes or frees it.</summary>
    public Guid? ReplayedAs { get; set; }
}

public enum QuarantineStatus
{
    Held = 0,
    Replayed = 1,
    Discarded = 2,
}

/// <summary>Small settings the hub generates once and must keep (e.g. the pseudonymisation secret).</summary>
public sealed class HubSetting
{
    public required string Key { get; set; }
    public required string Value { get; set; }
}
