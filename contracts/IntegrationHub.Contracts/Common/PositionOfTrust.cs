using System.Text.Json.Serialization;

namespace IntegrationHub.Contracts.Common;

/// <summary>A position of trust held by a person of concern (handbook 9.1, 9.6).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PositionOfTrust>))]
public enum PositionOfTrust
{
    /// <summary>None known.</summary>
    None,
    /// <summary>Teacher or other school staff.</summary>
    Teacher,
    /// <summary>Foster carer.</summary>
    FosterCarer,
    /// <summary>Residential or other care staff.</summary>
    CareStaff,
    /// <summary>Sports coach.</summary>
    SportsCoach,
    /// <summary>Faith leader.</summary>
    FaithLeader,
    /// <summary>Youth worker.</summary>
    YouthWorker,
    /// <summary>Health professional.</summary>
    HealthProfessional,
    /// <summary>Any other position of trust.</summary>
    Other,
}
