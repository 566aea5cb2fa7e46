using IntegrationHub.Contracts.Common;

namespace IntegrationHub.Contracts.Sharing;

/// <summary>
/// The record an agency must keep when a 9.3 factor applies and it decides not to refer (handbook 9.7; REC-01, U13-02):
/// the body of <c>POST /api/v1/decisions-not-to-share</c>.
/// </summary>
public sealed record DecisionNotToShare
{
    /// <summary>
    /// The tracking id of the concern this is about, if it was sent to the hub: one the hub gave the sending agency for a
    /// concern. Any other id (another agency's concern, none at all) is refused (422).
    /// </summary>
    public Guid? ConcernTrackingId { get; init; }
    /// <summary>The child.</summary>
    public required ChildDetails Child { get; init; }
    /// <summary>The child's age in years at the decision.</summary>
    public int? ChildAgeYears { get; init; }
    /// <summary>The 9.3 factors present.</summary>
    public IReadOnlyList<AssessmentFactor> Factors { get; init; } = [];
    /// <summary>Who the information is withheld from.</summary>
    public IReadOnlyList<Recipient> WithheldFrom { get; init; } = [];
    /// <summary>The reasons, in detail.</summary>
    public string? Reasons { get; init; }
    /// <summary>The named accountable decision-makers.</summary>
    public IReadOnlyList<string> DecisionMakers { get; init; } = [];
    /// <summary>The designated safeguarding lead consulted.</summary>
    public string? SafeguardingLeadConsulted { get; init; }
    /// <summary>Who signed the record.</summary>
    public string? SignedBy { get; init; }
    /// <summary>The date signed.</summary>
    public DateOnly? SignedOn { get; init; }
    /// <summary>For a child under 13: the senior manager who approved (U13-02).</summary>
    public string? SeniorManagerApproval { get; init; }
    /// <summary>The agency's named lead, told if the record is rejected.</summary>
    public NamedLead? NamedLead { get; init; }
}
