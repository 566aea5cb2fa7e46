using System.Text.Json.Serialization;

namespace IntegrationHub.Contracts.MissingEpisodes;

/// <summary>Where the child went missing from; a child missing from care must have a return interview (handbook 14.1).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MissingFrom>))]
public enum MissingFrom
{
    /// <summary>From home.</summary>
    Home,
    /// <summary>From care (placement, residential home, foster home).</summary>
    Care,
}
