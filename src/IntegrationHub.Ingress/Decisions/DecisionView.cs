using IntegrationHub.Contracts.Sharing;

namespace IntegrationHub.Ingress.Decisions;

/// <summary>What <c>GET /api/v1/decisions/{trackingId}</c> returns: the decision and why, with no personal data.</summary>
public sealed record DecisionView
{
    public required Guid TrackingId { get; init; }
    public required string Agency { get; init; }
    public required string Kind { get; init; }
    /// <summary><c>Pending</c> until the router has decided, then <c>Decided</c>.</summary>
    public required string Status { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    public DateTimeOffset? DecidedAt { get; init; }
    public string? ProtocolVersion { get; init; }
    public int Revision { get; init; }
    public IReadOnlyList<RecipientDecision> Recipients { get; init; } = [];
    public IReadOnlyList<RuleFired> RulesFired { get; init; } = [];
    public IReadOnlyList<RequiredAction> Actions { get; init; } = [];
    public IReadOnlyList<Deadline> Deadlines { get; init; } = [];
    public IReadOnlyList<SenderWarning> Warnings { get; init; } = [];
    public IReadOnlyList<string> Flags { get; init; } = [];
    public IReadOnlyList<DeliveryView> Deliveries { get; init; } = [];
}

/// <summary>One delivery of the decision: to whom, on which queue, and whether it has been sent.</summary>
public sealed record DeliveryView(Guid DeliveryId, string Recipient, string Queue, DateTimeOffset? SentAt);
