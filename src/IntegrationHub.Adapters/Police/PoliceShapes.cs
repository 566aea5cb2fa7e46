using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.MissingEpisodes;

namespace IntegrationHub.Adapters.Police;

// The police's own formats, as a force's case system exports them (docs/examples/police/).

/// <summary>The officer who submits a notification.</summary>
public sealed record PoliceOfficer
{
    public required string Name { get; init; }
    public string? Rank { get; init; }
    public string? CollarNumber { get; init; }
    public string? Station { get; init; }
    public string? SecureEmail { get; init; }
}

/// <summary>The child a notification is about.</summary>
public sealed record PoliceSubject
{
    public string? Forenames { get; init; }
    public string? Surname { get; init; }
    public DateOnly? DateOfBirth { get; init; }
    public int? AgeEstimate { get; init; }
    public string? Gender { get; init; }
    public string? Address { get; init; }
    public string? Postcode { get; init; }
    public string? NhsNumber { get; init; }
    public string? LocalAuthorityId { get; init; }
    public bool LookedAfter { get; init; }
    public bool ChildProtectionPlan { get; init; }
    public bool LearningDisability { get; init; }
}

/// <summary>A person of interest named by the police.</summary>
public sealed record PolicePerson
{
    public string? Name { get; init; }
    public IReadOnlyList<string> Aliases { get; init; } = [];
    public DateOnly? DateOfBirth { get; init; }
    public int? AgeEstimate { get; init; }
    public string? Relationship { get; init; }
    public string? Occupation { get; init; }
    public bool WorksWithChildren { get; init; }
    public IReadOnlyList<string> Vehicles { get; init; } = [];
    public IReadOnlyList<string> Phones { get; init; } = [];
}

/// <summary>What happened.</summary>
public sealed record PoliceIncident
{
    public DateTimeOffset? OccurredAt { get; init; }
    public required string Summary { get; init; }
    public bool ImmediateRisk { get; init; }
    /// <summary><c>CSE</c>, <c>CCE</c> or <c>Both</c>.</summary>
    public string? ExploitationType { get; init; }
}

/// <summary>PPD1: the public-protection notification an officer submits to the MASH about a child at risk (handbook 10.3).</summary>
public sealed record Ppd1Notification
{
    public required string Ppd1Reference { get; init; }
    public string? ForceCode { get; init; }
    public required PoliceOfficer Officer { get; init; }
    public PoliceOfficer? Supervisor { get; init; }
    public required PoliceSubject Subject { get; init; }
    public required PoliceIncident Incident { get; init; }
    public IReadOnlyList<Sign> Indicators { get; init; } = [];
    public IReadOnlyList<RiskIndicator> RiskIndicators { get; init; } = [];
    public IReadOnlyList<PolicePerson> PersonsOfInterest { get; init; } = [];
    public IReadOnlyList<Location> Locations { get; init; } = [];
    public TraffickingEvidence? Trafficking { get; init; }
    public bool JointInvestigation { get; init; }
}

/// <summary>A missing person report for a child (handbook 14, 15).</summary>
public sealed record MissingPersonReport
{
    public required string OccurrenceReference { get; init; }
    public string? ForceCode { get; init; }
    public required PoliceSubject Subject { get; init; }
    public MissingFrom MissingFrom { get; init; }
    public DateTimeOffset? LastSeenAt { get; init; }
    public PoliceRiskGrade RiskGrade { get; init; }
    public bool KnownCseRisk { get; init; }
    public IReadOnlyList<PolicePerson> BelievedWith { get; init; } = [];
    public IReadOnlyList<Location> Locations { get; init; } = [];
    public string? Circumstances { get; init; }
}

/// <summary>A missing child found or returned (the 72-hour return-interview clock starts).</summary>
public sealed record FoundReport
{
    public required string OccurrenceReference { get; init; }
    public required PoliceSubject Subject { get; init; }
    public required DateTimeOffset FoundAt { get; init; }
    public MissingFrom MissingFrom { get; init; }
    public Location? FoundLocation { get; init; }
    public IReadOnlyList<PolicePerson> WithWhom { get; init; } = [];
    public IReadOnlyList<string> Vehicles { get; init; } = [];
    public bool Harmed { get; init; }
    public bool CrimeSuspected { get; init; }
    public bool MentalHealthConcern { get; init; }
    public string? Circumstances { get; init; }
}
