using System.Text.Json.Serialization;

namespace IntegrationHub.Contracts.Common;

/// <summary>Push factors that make a child more vulnerable (handbook section 6).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PushFactor>))]
public enum PushFactor
{
    /// <summary>Victim of physical, sexual or emotional abuse or neglect.</summary>
    PriorAbuse,
    /// <summary>Household with domestic violence and abuse.</summary>
    DomesticAbuse,
    /// <summary>Parents with high vulnerabilities (substance misuse, mental illness, learning disability).</summary>
    ParentalVulnerability,
    /// <summary>Family breakdown, disrupted family life, problematic parenting.</summary>
    FamilyBreakdown,
    /// <summary>Insecure immigration status.</summary>
    InsecureImmigrationStatus,
    /// <summary>Physical or learning impairment.</summary>
    PhysicalOrLearningImpairment,
    /// <summary>Emotional difficulties, low self-esteem, estranged family relationships.</summary>
    EmotionalDifficulties,
}
