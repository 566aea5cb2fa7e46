using System.Text.Json.Serialization;

namespace IntegrationHub.Contracts.Common;

/// <summary>School phase, for education concerns.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SchoolPhase>))]
public enum SchoolPhase
{
    /// <summary>Primary school.</summary>
    Primary,
    /// <summary>Secondary school.</summary>
    Secondary,
    /// <summary>College or sixth form.</summary>
    FurtherEducation,
}
