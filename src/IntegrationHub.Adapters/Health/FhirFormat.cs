namespace IntegrationHub.Adapters.Health;

/// <summary>How a FHIR body is encoded: the host picks it from the request's content type.</summary>
public enum FhirFormat
{
    /// <summary><c>application/fhir+json</c>.</summary>
    Json,
    /// <summary><c>application/fhir+xml</c>.</summary>
    Xml,
}
