using IntegrationHub.Contracts.Common;

namespace IntegrationHub.Contracts.ReturnInterviews;

/// <summary>A return interview has been done, declined or could not happen (handbook 14.1; RI-01 when it discloses something).</summary>
public sealed record ReturnInterviewCompleted
{
    /// <summary>The hub's tracking id for this message.</summary>
    public required Guid TrackingId { get; init; }
    /// <summary>The reporting agency, from its credentials.</summary>
    public required Agency Agency { get; init; }
    /// <summary>When the hub received it.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }
    /// <summary>The child.</summary>
    public required ChildDetails Child { get; init; }
    /// <summary>The police occurrence reference of the missing episode.</summary>
    public required string PoliceReference { get; init; }
    /// <summary>When the interview ended.</summary>
    public required DateTimeOffset CompletedAt { get; init; }
    /// <summary>Who carried it out.</summary>
    public string? CompletedBy { get; init; }
    /// <summary>Carried out by someone independent of the child's care.</summary>
    public bool Independent { get; init; }
    /// <summary>Completed, declined or not located.</summary>
    public ReturnInterviewOutcome Outcome { get; init; }
    /// <summary>What the child said, summarised.</summary>
    public string? Findings { get; init; }
    /// <summary>Signs disclosed.</summary>
    public IReadOnlyList<Sign> Signs { get; init; } = [];
    /// <summary>Persons of concern disclosed.</summary>
    public IReadOnlyList<PersonOfConcern> Persons { get; init; } = [];
    /// <summary>Places disclosed.</summary>
    public IReadOnlyList<Location> Locations { get; init; } = [];
    /// <summary>Vehicles disclosed.</summary>
    public IReadOnlyList<string> Vehicles { get; init; } = [];
}
