namespace IntegrationHub.Contracts.Sharing;

/// <summary>What the protocol decided about one message and why: reproducible from the stored input and the protocol version.</summary>
public sealed record RoutingDecision
{
    /// <summary>The protocol version that decided.</summary>
    public required string ProtocolVersion { get; init; }
    /// <summary>Who is told, how fast, and what they may see.</summary>
    public IReadOnlyList<RecipientDecision> Recipients { get; init; } = [];
    /// <summary>What people must now do.</summary>
    public IReadOnlyList<RequiredAction> Actions { get; init; } = [];
    /// <summary>Clocks started.</summary>
    public IReadOnlyList<Deadline> Deadlines { get; init; } = [];
    /// <summary>Every rule that applied, with handbook section and reason.</summary>
    public IReadOnlyList<RuleFired> RulesFired { get; init; } = [];
    /// <summary>Feedback to the sender.</summary>
    public IReadOnlyList<SenderWarning> Warnings { get; init; } = [];
    /// <summary>Flags on the case, e.g. <c>RapeOfChildUnder13</c>, <c>ConsentDoubtful</c>, <c>NoFamilyNotification</c>.</summary>
    public IReadOnlyList<string> Flags { get; init; } = [];
}
