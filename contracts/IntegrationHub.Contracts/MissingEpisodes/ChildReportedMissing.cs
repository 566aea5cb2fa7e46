using IntegrationHub.Contracts.Common;

namespace IntegrationHub.Contracts.MissingEpisodes;

/// <summary>The police report a child missing (handbook 14, 15).</summary>
public sealed record ChildReportedMissing
{
    /// <summary>The hub's tracking id for this message.</summary>
    public required Guid TrackingId { get; init; }
    /// <summary>The reporting agency, from its credentials.</summary>
    public required Agency Agency { get; init; }
    /// <summary>When the hub received it.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }
    /// <summary>The child.</summary>
    public required ChildDetails Child { get; init; }
    /// <summary>The police occurrence reference (opaque); links the found report to this one.</summary>
    public required string PoliceReference { get; init; }
    /// <summary>Missing from home or from care.</summary>
    public MissingFrom MissingFrom { get; init; }
    /// <summary>When the child was last seen.</summary>
    public DateTimeOffset? LastSeenAt { get; init; }
    /// <summary>The police risk grade.</summary>
    public PoliceRiskGrade RiskGrade { get; init; }
    /// <summary>The child is known to be at risk of sexual exploitation (MIS-05).</summary>
    public bool KnownCseRisk { get; init; }
    /// <summary>People the child is believed to be with.</summary>
    public IReadOnlyList<PersonOfConcern> BelievedWith { get; init; } = [];
    /// <summary>Places the child may be.</summary>
    public IReadOnlyList<Location> Locations { get; init; } = [];
    /// <summary>Circumstances, free text.</summary>
    public string? Narrative { get; init; }
}
