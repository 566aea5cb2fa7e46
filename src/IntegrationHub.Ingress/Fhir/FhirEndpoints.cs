using System.Text;
using IntegrationHub.Adapters.Health;
using IntegrationHub.Adapters.Inbound;
using IntegrationHub.Ingress.Inbound;
using IntegrationHub.Ingress.Problems;
using IntegrationHub.Ingress.Referrals;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IntegrationHub.Ingress.Fhir;

/// <summary>
/// Health systems send referrals as FHIR R4 Bundles (docs/fhir.md). Answers are OperationOutcomes: 202 with the
/// tracking id, or 400/422 with issues that carry FHIRPath expressions. Refused bundles are kept in quarantine.
/// </summary>
public static class FhirEndpoints
{
    public const string Channel = "fhir";
    private const string FhirJson = "application/fhir+json";

    public static IEndpointRouteBuilder MapFhirEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/fhir/Bundle", PostBundle)
            .WithName("PostFhirBundle")
            .WithTags("FHIR")
            .WithSummary("A health system sends a referral as a FHIR R4 Bundle (message or collection).")
            .WithDescription("Content-Type application/fhir+json or application/fhir+xml. 202 with an OperationOutcome carrying the tracking id; " +
                             "400 (not valid FHIR) or 422 (valid FHIR, not an acceptable referral) with an OperationOutcome whose issues carry FHIRPath expressions.");
        app.MapGet("/api/v1/fhir/CodeSystem/safeguarding-indicator", () =>
                Results.Text(IntegrationHub.Adapters.Health.FhirJson.Serialize(HealthCodeSystem.Build(), pretty: true), FhirJson, Encoding.UTF8))
            .WithName("GetSafeguardingIndicatorCodeSystem")
            .WithTags("FHIR")
            .WithSummary("The CodeSystem of the handbook's signs, risks and 9.3 factors that indicators are coded from.");
        return app;
    }

    private static async Task<IResult> PostBundle(HttpContext http, HealthFhirAdapter adapter, ConcernIntake intake, CancellationToken ct)
    {
        var (gate, problem) = await IngressGate.OpenAsync(http, Channel, InboundKinds.FhirBundleKind, json: false);
        if (problem is not null) return problem;

        var format = FormatOf(http.Request.ContentType);
        if (format is null)
            return await gate!.RefuseAsync(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type", "content-type",
                [new FieldError("Content-Type", $"Expected application/fhir+json or application/fhir+xml, got '{http.Request.ContentType ?? "none"}'.")]);

        var result = adapter.Read(gate!.Body.Bytes, format.Value);
        if (result is AdapterResult.Failure failure)
        {
            var errors = failure.Issues.Select(i => new FieldError(i.Expression ?? "Bundle", $"{i.Code}: {i.Message}")).ToList();
            var quarantineId = await gate.QuarantineAsync("The FHIR bundle was refused", failure.Unprocessable ? "fhir-unprocessable" : "fhir-invalid", errors);
            var outcome = failure.ToOperationOutcome();
            outcome.Id = quarantineId.ToString();
            return Outcome(outcome, failure.StatusCode);
        }

        var success = (AdapterResult.Success)result;
        var idempotencyKey = http.Request.Headers["Idempotency-Key"].FirstOrDefault();
        var accepted = await intake.AcceptAsync(gate.Agency, success.Concern,
            InboundChannel.Received(Channel, idempotencyKey, gate.Body.Bytes), ct);
        if (!accepted.Accepted) return await gate.RefuseAsync(accepted.Status, accepted.Title!, accepted.ReasonCode!, accepted.Errors);
        http.Response.Headers.Location = $"/api/v1/decisions/{accepted.TrackingId}";
        return Outcome(success.ToOperationOutcome(accepted.TrackingId!.Value.ToString()), StatusCodes.Status202Accepted);
    }

    private static IResult Outcome(Hl7.Fhir.Model.OperationOutcome outcome, int status) =>
        Results.Text(IntegrationHub.Adapters.Health.FhirJson.Serialize(outcome), FhirJson, Encoding.UTF8, status);

    internal static FhirFormat? FormatOf(string? contentType)
    {
        var media = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        return media switch
        {
            "application/fhir+json" or "application/json" or "application/json+fhir" => FhirFormat.Json,
            "application/fhir+xml" or "application/xml" or "application/xml+fhir" or "text/xml" => FhirFormat.Xml,
            _ => null,
        };
    }
}
