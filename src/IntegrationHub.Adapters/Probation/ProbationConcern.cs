using IntegrationHub.Adapters.Education;
using IntegrationHub.Contracts.Common;

namespace IntegrationHub.Adapters.Probation;

/// <summary>
/// A concern a probation officer raises about a child close to the adult they supervise (handbook 10.4), with the line
/// manager who oversaw the decision to refer.
/// </summary>
public sealed record ProbationConcern
{
    public required string CaseReference { get; init; }
    public string? ProbationDeliveryUnit { get; init; }
    public required StaffMember Officer { get; init; }
    public required StaffMember LineManager { get; init; }
    public required SupervisedPerson SupervisedPerson { get; init; }
    public required ChildDetails Child { get; init; }
    public required string Summary { get; init; }
    public DateTimeOffset? OccurredAt { get; init; }
    public ExploitationType ExploitationType { get; init; }
    public IReadOnlyList<Sign> Indicators { get; init; } = [];
    public IReadOnlyList<RiskIndicator> RiskIndicators { get; init; } = [];
    public IReadOnlyList<PersonOfConcern> OtherPersons { get; init; } = [];
    public IReadOnlyList<Location> Locations { get; init; } = [];
    public bool ImmediateRisk { get; init; }
    public Screening? Screening { get; init; }
}

/// <summary>The adult on probation.</summary>
public sealed record SupervisedPerson
{
    public string? Name { get; init; }
    public DateOnly? DateOfBirth { get; init; }
    public int? AgeYears { get; init; }
    /// <summary>How they are related to the child (parent, older sibling, partner of parent, friend).</summary>
    public required string RelationshipToChild { get; init; }
    /// <summary>Whether the concern is about them as a possible perpetrator (rather than e.g. a parent worried about the child).</summary>
    public bool PersonOfConcern { get; init; }
    public bool RegisteredSexOffender { get; init; }
    public bool WorksWithChildren { get; init; }
    public IReadOnlyList<string> Vehicles { get; init; } = [];
    public IReadOnlyList<string> Phones { get; init; } = [];
}
