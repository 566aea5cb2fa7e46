using IntegrationHub.Contracts.Common;

namespace IntegrationHub.Contracts.MissingEpisodes;

/// <summary>A missing child has been found or has returned; the 72-hour return-interview clock starts (handbook 14.1).</summary>
public sealed record ChildFound
{
    /// <summary>The hub's tracking id for this message.</summary>
    public required Guid TrackingId { get; init; }
    /// <summary>The reporting agency, from its credentials.</summary>
    public required Agency Agency { get; init; }
    /// <summary>When the hub received it.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }
    /// <summary>The child.</summary>
    public required ChildDetails Child { get; init; }
    /// <summary>The police occurrence reference of the missing report.</summary>
    public required string PoliceReference { get; init; }
    /// <summary>When the child was found or returned.</summary>
    public required DateTimeOffset ReturnedAt { get; init; }
    /// <summary>Missing from home or care.</summary>
    public MissingFrom MissingFrom { get; init; }
    /// <summary>Where the child was found.</summary>
    public Location? FoundAt { get; init; }
    /// <summary>Who the child was with.</summary>
    public IReadOnlyList<PersonOfConcern> WithWhom { get; init; } = [];
    /// <summary>Vehicles seen.</summary>
    public IReadOnlyList<string> Vehicles { get; init; } = [];
    /// <summary>The child was harmed.</summary>
    public bool Harmed { get; init; }
    /// <summary>A crime is suspected.</summary>
    public bool CrimeSuspected { get; init; }
    /// <summary>Mental health concerns (a 14.1 trigger).</summary>
    public bool MentalHealthConcern { get; init; }
    /// <summary>Circumstances, free text.</summary>
    public string? Narrative { get; init; }
}
