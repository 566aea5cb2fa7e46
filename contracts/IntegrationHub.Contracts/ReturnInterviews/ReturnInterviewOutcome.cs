using System.Text.Json.Serialization;

namespace IntegrationHub.Contracts.ReturnInterviews;

/// <summary>How a return interview ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReturnInterviewOutcome>))]
public enum ReturnInterviewOutcome
{
    /// <summary>The interview took place.</summary>
    Completed,
    /// <summary>The child declined.</summary>
    Declined,
    /// <summary>The child could not be located.</summary>
    NotLocated,
}
