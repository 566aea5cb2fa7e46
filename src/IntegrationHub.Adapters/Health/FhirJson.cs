using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace IntegrationHub.Adapters.Health;

/// <summary>FHIR JSON out of the hub, through the SDK 6 serializer (not the obsolete <c>ToJson</c> family).</summary>
public static class FhirJson
{
    /// <summary>Serializes a resource (for example an <see cref="OperationOutcome"/>) as FHIR JSON.</summary>
    public static string Serialize(Resource resource, bool pretty = false) =>
        FhirJsonSerializer.Default.SerializeToString(resource, pretty);
}
