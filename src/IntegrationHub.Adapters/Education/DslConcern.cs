using IntegrationHub.Contracts.Common;

namespace IntegrationHub.Adapters.Education;

/// <summary>A designated safeguarding lead's concern about a pupil, as a school's safeguarding system exports it (handbook 10.6).</summary>
public sealed record DslConcern
{
    public required string SchoolUrn { get; init; }
    public string? SchoolName { get; init; }
    public SchoolPhase? Phase { get; init; }
    public required StaffMember Dsl { get; init; }
    public StaffMember? RecordedBy { get; init; }
    public required Pupil Pupil { get; init; }
    public required PupilConcern Concern { get; init; }
    public Attendance? Attendance { get; init; }
    public bool ExclusionRisk { get; init; }
    public Screening? Screening { get; init; }
}

public sealed record StaffMember
{
    public required string Name { get; init; }
    public string? Role { get; init; }
    public string? Email { get; init; }
}

public sealed record Pupil
{
    /// <summary>Unique pupil number (opaque).</summary>
    public string? Upn { get; init; }
    public string? Forename { get; init; }
    public string? Surname { get; init; }
    public DateOnly? DateOfBirth { get; init; }
    public int? YearGroup { get; init; }
    public string? Gender { get; init; }
    public string? Address { get; init; }
    public string? Postcode { get; init; }
    public string? NhsNumber { get; init; }
    public bool LookedAfter { get; init; }
    public bool LearningDisability { get; init; }
    public bool Disability { get; init; }
}

public sealed record PupilConcern
{
    public required string Summary { get; init; }
    public DateTimeOffset? ObservedAt { get; init; }
    public ExploitationType ExploitationType { get; init; }
    public IReadOnlyList<Sign> Indicators { get; init; } = [];
    public IReadOnlyList<PushFactor> PushFactors { get; init; } = [];
    public IReadOnlyList<RiskIndicator> RiskIndicators { get; init; } = [];
    public IReadOnlyList<PullFactor> PullFactors { get; init; } = [];
    public IReadOnlyList<AssessmentFactor> AssessmentFactors { get; init; } = [];
    public SexualActivity? SexualActivity { get; init; }
    public IReadOnlyList<PersonOfConcern> PersonsOfConcern { get; init; } = [];
    public IReadOnlyList<Location> Locations { get; init; } = [];
    public bool ImmediateRisk { get; init; }
}

public sealed record Attendance
{
    /// <summary>Attendance this term, in per cent.</summary>
    public decimal? Percentage { get; init; }
    public int? UnauthorisedAbsences { get; init; }
}
