using IntegrationHub.Adapters.Education;
using IntegrationHub.Contracts.Common;

namespace IntegrationHub.Adapters.Yot;

/// <summary>A youth offending team's concern (handbook 10.9), which can say the child may be exploiting other children.</summary>
public sealed record YotConcern
{
    public required string YotReference { get; init; }
    public required StaffMember Worker { get; init; }
    public StaffMember? Manager { get; init; }
    public required ChildDetails Child { get; init; }
    public required string Summary { get; init; }
    public DateTimeOffset? OccurredAt { get; init; }
    public ExploitationType ExploitationType { get; init; }
    public IReadOnlyList<Sign> Indicators { get; init; } = [];
    public IReadOnlyList<RiskIndicator> RiskIndicators { get; init; } = [];
    public IReadOnlyList<PushFactor> PushFactors { get; init; } = [];
    /// <summary>The child may be exploiting other children (handbook 10.9.8): police at once, and MASH, for the child is a victim too.</summary>
    public bool MayBeExploitingOthers { get; init; }
    public IReadOnlyList<PersonOfConcern> Associates { get; init; } = [];
    public IReadOnlyList<Location> Locations { get; init; } = [];
    public bool ImmediateRisk { get; init; }
    public Screening? Screening { get; init; }
}
