using IntegrationHub.Contracts.Common;

namespace IntegrationHub.Contracts.Sharing;

/// <summary>One recipient of a decision: why, how fast, and which fields it may see.</summary>
public sealed record RecipientDecision
{
    /// <summary>The recipient.</summary>
    public required Recipient Recipient { get; init; }
    /// <summary>How fast it must act.</summary>
    public required Priority Priority { get; init; }
    /// <summary>Why it is told, in plain English.</summary>
    public required string Purpose { get; init; }
    /// <summary>True where the protocol says the recipient must be told ("must"), not merely may be.</summary>
    public bool Mandatory { get; init; }
    /// <summary>The rules that named this recipient.</summary>
    public IReadOnlyList<string> RuleIds { get; init; } = [];
    /// <summary>The fields released to it (JSON paths into the concern, e.g. <c>child.nhsNumber</c>).</summary>
    public IReadOnlyList<string> FieldsReleased { get; init; } = [];
    /// <summary>The fields held back from it.</summary>
    public IReadOnlyList<string> FieldsWithheld { get; init; } = [];
}
