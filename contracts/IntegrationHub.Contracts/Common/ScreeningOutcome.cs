using System.Text.Json.Serialization;

namespace IntegrationHub.Contracts.Common;

/// <summary>Outcome of the CSE screening tool (handbook 16).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ScreeningOutcome>))]
public enum ScreeningOutcome
{
    /// <summary>No concern found.</summary>
    NoConcern,
    /// <summary>Emerging concern, below the referral threshold.</summary>
    Emerging,
    /// <summary>Concern confirmed: refer.</summary>
    Confirmed,
}
