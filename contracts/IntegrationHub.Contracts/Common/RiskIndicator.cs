using System.Text.Json.Serialization;

namespace IntegrationHub.Contracts.Common;

/// <summary>Indicators that a child is at risk of or particularly vulnerable to exploitation (handbook section 6).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RiskIndicator>))]
public enum RiskIndicator
{
    /// <summary>Going missing: the most immediate indicator.</summary>
    GoingMissing,
    /// <summary>Disengagement from education.</summary>
    EducationDisengagement,
    /// <summary>Drug or alcohol dependency.</summary>
    SubstanceDependency,
    /// <summary>STIs, miscarriage, abortion, bruising or marks of assault.</summary>
    PhysicalSymptoms,
    /// <summary>Not receiving appropriate attention from concerned adults.</summary>
    LackOfAdultAttention,
    /// <summary>Associating with older men or other risky adults.</summary>
    AssociatingWithRiskyAdults,
    /// <summary>Social activities with no plausible source of money.</summary>
    UnexplainedMoney,
    /// <summary>New possessions, money, clothes or drugs without plausible explanation.</summary>
    UnexplainedPossessions,
    /// <summary>Alienated from family or community.</summary>
    AlienatedFromFamily,
    /// <summary>In care with placement breakdown.</summary>
    PlacementBreakdown,
    /// <summary>Associating with children known to be victims of exploitation.</summary>
    AssociatingWithVictims,
    /// <summary>Some kinds of offending behaviour.</summary>
    Offending,
}
