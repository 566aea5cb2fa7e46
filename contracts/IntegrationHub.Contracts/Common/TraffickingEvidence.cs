namespace IntegrationHub.Contracts.Common;

/// <summary>The evidence set the police need for trafficking (handbook section 7).</summary>
public sealed record TraffickingEvidence
{
    /// <summary>Which kinds of movement are suspected.</summary>
    public IReadOnlyList<TraffickingType> Types { get; init; } = [];
    /// <summary>What the child said, in their words.</summary>
    public string? ChildSaid { get; init; }
    /// <summary>What others said about the child.</summary>
    public string? OthersSaid { get; init; }
    /// <summary>Dates and times known or suspected.</summary>
    public IReadOnlyList<string> DatesAndTimes { get; init; } = [];
    /// <summary>People the child was with.</summary>
    public IReadOnlyList<string> Persons { get; init; } = [];
    /// <summary>Vehicles used to move the child.</summary>
    public IReadOnlyList<string> Vehicles { get; init; } = [];
}
