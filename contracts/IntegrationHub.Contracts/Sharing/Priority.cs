using System.Text.Json.Serialization;

namespace IntegrationHub.Contracts.Sharing;

/// <summary>How fast a recipient must act.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Priority>))]
public enum Priority
{
    /// <summary>Routine.</summary>
    Routine,
    /// <summary>Within the same working day.</summary>
    SameWorkingDay,
    /// <summary>At once: the child may be at immediate risk.</summary>
    Urgent,
}
