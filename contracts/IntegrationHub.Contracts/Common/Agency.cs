using System.Text.Json.Serialization;

namespace IntegrationHub.Contracts.Common;

/// <summary>An agency that publishes to the hub. The hub takes it from the sender's credentials, never from a message body.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Agency>))]
public enum Agency
{
    /// <summary>NHS services: GPs, hospitals, sexual health, school nursing, mental health (handbook 10.1).</summary>
    Health,
    /// <summary>Police public protection (handbook 10.3).</summary>
    Police,
    /// <summary>Schools and colleges through their designated safeguarding lead (handbook 10.6).</summary>
    Education,
    /// <summary>The probation service (handbook 10.4).</summary>
    Probation,
    /// <summary>The youth offending team (handbook 10.9).</summary>
    Yot,
}
