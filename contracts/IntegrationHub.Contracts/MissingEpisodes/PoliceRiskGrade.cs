using System.Text.Json.Serialization;

namespace IntegrationHub.Contracts.MissingEpisodes;

/// <summary>The police missing-person risk grade.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PoliceRiskGrade>))]
public enum PoliceRiskGrade
{
    /// <summary>Not graded.</summary>
    NotGraded,
    /// <summary>No apparent risk.</summary>
    NoApparentRisk,
    /// <summary>Low risk.</summary>
    Low,
    /// <summary>Medium risk.</summary>
    Medium,
    /// <summary>High risk.</summary>
    High,
}
