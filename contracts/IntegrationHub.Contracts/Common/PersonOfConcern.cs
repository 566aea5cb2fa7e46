namespace IntegrationHub.Contracts.Common;

/// <summary>A person the concern names: an alleged perpetrator, an associate, someone the child was with.</summary>
public sealed record PersonOfConcern
{
    /// <summary>Name as known.</summary>
    public string? Name { get; init; }
    /// <summary>Other names or nicknames.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];
    /// <summary>Age in years, or an estimate.</summary>
    public int? AgeYears { get; init; }
    /// <summary>Date of birth if known.</summary>
    public DateOnly? DateOfBirth { get; init; }
    /// <summary>Their role in the concern or relationship to the child (e.g. "adult associate", "older partner", "teacher").</summary>
    public string? Role { get; init; }
    /// <summary>Employer, if relevant.</summary>
    public string? Employer { get; init; }
    /// <summary>Position of trust over the child, if any.</summary>
    public PositionOfTrust PositionOfTrust { get; init; }
    /// <summary>Works or volunteers with children.</summary>
    public bool WorksWithChildren { get; init; }
    /// <summary>Is an approved foster carer.</summary>
    public bool ApprovedFosterCarer { get; init; }
    /// <summary>Limbs of the LADO harm test the sender believes are met.</summary>
    public IReadOnlyList<HarmTest> HarmTest { get; init; } = [];
    /// <summary>Vehicle registration marks linked to them.</summary>
    public IReadOnlyList<string> Vehicles { get; init; } = [];
    /// <summary>Phone numbers linked to them.</summary>
    public IReadOnlyList<string> Phones { get; init; } = [];
    /// <summary>Online handles linked to them.</summary>
    public IReadOnlyList<string> OnlineHandles { get; init; } = [];
}
