using IntegrationHub.Contracts.Common;

namespace IntegrationHub.Contracts.Referrals;

/// <summary>
/// A concern (referral) about a child, as an agency sends it: the body of <c>POST /api/v1/concerns</c>.
/// Only the child, the referrer and the narrative are required; everything else improves the decision.
/// </summary>
public sealed record Concern
{
    /// <summary>Optional. If given it must be the agency the credentials belong to; the hub never takes the agency from here.</summary>
    public Agency? Agency { get; init; }
    /// <summary>The sender's own reference for this concern (opaque); used to correlate, never to route.</summary>
    public string? SenderReference { get; init; }
    /// <summary>The child. Required.</summary>
    public required ChildDetails Child { get; init; }
    /// <summary>The professional raising the concern. Required.</summary>
    public required Referrer Referrer { get; init; }
    /// <summary>The agency's named lead for safeguarding.</summary>
    public NamedLead? NamedLead { get; init; }
    /// <summary>What happened, in the referrer's words. Required.</summary>
    public required string Narrative { get; init; }
    /// <summary>When it happened, if known.</summary>
    public DateTimeOffset? OccurredAt { get; init; }
    /// <summary>Sexual, criminal or both.</summary>
    public ExploitationType ExploitationType { get; init; }
    /// <summary>Signs seen (handbook 5).</summary>
    public IReadOnlyList<Sign> Signs { get; init; } = [];
    /// <summary>Push factors (handbook 6).</summary>
    public IReadOnlyList<PushFactor> PushFactors { get; init; } = [];
    /// <summary>Risk indicators (handbook 6).</summary>
    public IReadOnlyList<RiskIndicator> RiskIndicators { get; init; } = [];
    /// <summary>Pull factors (handbook 6).</summary>
    public IReadOnlyList<PullFactor> PullFactors { get; init; } = [];
    /// <summary>Assessment factors from the 9.3 checklist that apply.</summary>
    public IReadOnlyList<AssessmentFactor> AssessmentFactors { get; init; } = [];
    /// <summary>Sexual activity, if any is described.</summary>
    public SexualActivity? SexualActivity { get; init; }
    /// <summary>People the concern names.</summary>
    public IReadOnlyList<PersonOfConcern> PersonsOfConcern { get; init; } = [];
    /// <summary>Places the concern names.</summary>
    public IReadOnlyList<Location> Locations { get; init; } = [];
    /// <summary>The child is at immediate risk: the police are told first (handbook 9.6, 10.3.6).</summary>
    public bool ImmediateRisk { get; init; }
    /// <summary>Trafficking indicators and the evidence set, if suspected (handbook 7).</summary>
    public TraffickingEvidence? Trafficking { get; init; }
    /// <summary>The completed CSE screening tool, if attached.</summary>
    public Screening? Screening { get; init; }
    /// <summary>The consent position as recorded by the sender (consent is not needed to share: handbook 17.4).</summary>
    public string? ConsentPosition { get; init; }
    /// <summary>The lawful basis the sender relies on.</summary>
    public string? LawfulBasis { get; init; }
    /// <summary>A joint police and social care investigation is under way: the family is never notified (handbook 17.4).</summary>
    public bool JointInvestigationUnderWay { get; init; }
    /// <summary>The sender asks for an anonymous consultation (13 to 15 only; handbook 9.2).</summary>
    public bool AnonymousConsultationRequested { get; init; }
    /// <summary>The child may be exploiting other children (handbook 10.9.8).</summary>
    public bool ChildMayBeExploitingOthers { get; init; }
    /// <summary>The pupil is at risk of exclusion (handbook 10.6.4).</summary>
    public bool AtRiskOfExclusion { get; init; }
    /// <summary>School phase, for education concerns.</summary>
    public SchoolPhase? SchoolPhase { get; init; }
    /// <summary>Harm to the child is suspected (handbook 10.10.3).</summary>
    public bool HarmSuspected { get; init; }
    /// <summary>A care leaver aged 18 or over has agreed, on record, to the police being told (handbook 10.2.2).</summary>
    public bool CareLeaverAgreedToPoliceReferral { get; init; }
    /// <summary>The disclosure names risks to children under 18 (handbook 10.2.2).</summary>
    public bool RiskToOtherChildrenNamed { get; init; }
}
