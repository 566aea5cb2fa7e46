using IntegrationHub.Adapters.Health;
using IntegrationHub.Adapters.Inbound;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Ingress.Fhir;
using IntegrationHub.Ingress.Inbound;
using IntegrationHub.Ingress.Problems;
using IntegrationHub.Ingress.Referrals;
using IntegrationHub.Persistence;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Ingress.Quarantine;

/// <summary>What a replay came to: accepted (with the tracking id), or why not, as an HTTP status and problem.</summary>
public sealed record ReplayResult(int Status, string Outcome, Guid? TrackingId, IReadOnlyList<FieldError> Errors)
{
    public bool Accepted => TrackingId is not null;
}

/// <summary>
/// Reads a quarantined body again as the kind it was sent as and, if it now reads (e.g. after a contract or adapter
/// fix), accepts it: a concern, a FHIR bundle (JSON or XML), an agency's own format, a missing, found or return-interview
/// report. The quarantine id is the idempotency key, so replaying twice routes once. Used by the quarantine API and the
/// operations console alike. Marks the record replayed; the caller audits and saves.
/// </summary>
public sealed class QuarantineReplayer(IServiceScopeFactory scopes)
{
    public async Task<ReplayResult> ReplayAsync(QuarantineRecord record, CancellationToken ct)
    {
        if (record.Status != QuarantineStatus.Held)
            return new(StatusCodes.Status409Conflict, $"already {record.Status}", record.ReplayedAs, []);
        if (record.Kind is null || !Enum.TryParse<Agency>(record.Agency, out var agency))
            return new(StatusCodes.Status422UnprocessableEntity,
                "cannot replay: only a message from a known agency, sent as a kind the hub reads, is replayed (a decision not to share is sent again complete)", null, []);
        if (record.BodyLength > record.Body.Length)
            return new(StatusCodes.Status422UnprocessableEntity, "cannot replay: only part of this body was kept", null, []);

        using var scope = scopes.CreateScope();
        var services = scope.ServiceProvider;
        var channel = new InboundChannel("replay", $"quarantine/{record.Id}");
        IntakeOutcome outcome;
        if (record.Kind == InboundKinds.ConcernKind)
        {
            var read = ConcernReader.Read(record.Body);
            if (!read.Ok) return StillUnreadable(read.Errors);
            outcome = await services.GetRequiredService<ConcernIntake>().AcceptAsync(agency, read.Concern!, channel, ct);
        }
        else if (record.Kind == InboundKinds.FhirBundleKind && FhirEndpoints.FormatOf(record.ContentType) == FhirFormat.Xml)
        {
            // The inbound kind reads JSON; a bundle posted as XML is read as XML, as it was sent.
            if (services.GetRequiredService<HealthFhirAdapter>().Read(record.Body, FhirFormat.Xml) is not AdapterResult.Success read)
                return StillUnreadable([new FieldError("Bundle", "The FHIR bundle is still refused; POST it to /api/v1/fhir/Bundle to see each issue.")]);
            outcome = await services.GetRequiredService<ConcernIntake>().AcceptAsync(agency, read.Concern, channel, ct);
        }
        else
        {
            outcome = await services.GetRequiredService<InboundDispatcher>().DispatchAsync(agency, record.Kind, record.Body, channel, ct);
            if (!outcome.Accepted && outcome.ReasonCode == "invalid") return StillUnreadable(outcome.Errors);
        }
        if (!outcome.Accepted)
            return new(StatusCodes.Status422UnprocessableEntity, $"still refused ({outcome.ReasonCode}); it stays in quarantine", null, outcome.Errors);

        record.Status = QuarantineStatus.Replayed;
        record.ReplayedAs = outcome.TrackingId;
        return new(StatusCodes.Status202Accepted, "Retried", outcome.TrackingId, []);
    }

    private static ReplayResult StillUnreadable(IReadOnlyList<FieldError> errors) =>
        new(StatusCodes.Status422UnprocessableEntity, "still cannot be read; it stays in quarantine", null, errors);
}
