using System.Text.Json.Serialization;

namespace IntegrationHub.Contracts.Common;

/// <summary>Types of trafficking (handbook section 7). Distance is irrelevant: street to street counts.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TraffickingType>))]
public enum TraffickingType
{
    /// <summary>Trafficked from abroad into the UK.</summary>
    IntoUk,
    /// <summary>Moved from one place to another within the UK.</summary>
    WithinUk,
    /// <summary>Taken out of the UK and brought back.</summary>
    OutOfUkAndBack,
}
