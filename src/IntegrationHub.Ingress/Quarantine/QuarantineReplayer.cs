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
/// <param name="LaterCopies">Messages the agency sent after the refusal that are plausibly this input sent again
/// (<see cref="Quarantine.LaterCopies"/>). Not accepted: the replay was held back for them (<see cref="ResentLater"/>).
/// Accepted: the operator confirmed the replay although they were there.</param>
public sealed record ReplayResult(int Status, string Outcome, Guid? TrackingId, IReadOnlyList<FieldError> Errors, IReadOnlyList<LaterCopy>? LaterCopies = null)
{
    /// <summary>The <see cref="Outcome"/> of a replay held back because the agency sent the input again later.</summary>
    public const string ResentLaterOutcome = "ResentLater";

    public bool Accepted => TrackingId is not null;

    /// <summary>Held back, nothing routed: the agency sent this input again later; discard it, or replay it with confirmation.</summary>
    public bool ResentLater => !Accepted && LaterCopies is { Count: > 0 };

    /// <summary>Routed on the operator's confirmation although the agency had sent it again later.</summary>
    public bool ReplayedAnyway => Accepted && LaterCopies is { Count: > 0 };
}

/// <summary>
/// Reads a quarantined body again as the kind it was sent as and, if it now reads (e.g. after a contract or adapter
/// fix), accepts it: a concern, a FHIR bundle (JSON or XML), an agency's own format, a missing, found or return-interview
/// report. The quarantine id is the idempotency key, so replaying twice routes once. Used by the quarantine API and the
/// operations console alike. Marks the record replayed; the caller audits and saves.
/// <para>
/// Before it accepts, it looks for a later copy: the agency, told its message was refused, often sends a corrected
/// one, which is routed under its own tracking id. Replaying the original then would decide and deliver the same
/// concern twice. With a later copy the replay is held back (409, <see cref="ReplayResult.ResentLaterOutcome"/>,
/// naming the copies) unless <c>confirmed</c>: the operator has seen them and replays it anyway.
/// </para>
/// </summary>
public sealed class QuarantineReplayer(IServiceScopeFactory scopes)
{
    public async Task<ReplayResult> ReplayAsync(QuarantineRecord record, bool confirmed, CancellationToken ct)
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
        var read = Read(record, agency, services);
        if (read.Refusal is { } refusal)
            return refusal.ReasonCode == "invalid" ? StillUnreadable(refusal.Errors) : StillRefused(refusal);

        var later = await services.GetRequiredService<LaterCopies>().FindAsync(record, agency, read.Message!, ct);
        if (later.Count > 0 && !confirmed)
            return new(StatusCodes.Status409Conflict, ReplayResult.ResentLaterOutcome, null, [], later);

        var channel = InboundChannel.Received("replay", LaterCopies.ReplayKey(record), record.Body);
        var outcome = read.Message is Contracts.Referrals.Concern concern
            ? await services.GetRequiredService<ConcernIntake>().AcceptAsync(agency, concern, channel, ct)
            : await services.GetRequiredService<InboundDispatcher>().AcceptAsync(agency, read, channel, ct);
        if (!outcome.Accepted) return StillRefused(outcome);

        record.Status = QuarantineStatus.Replayed;
        record.ReplayedAs = outcome.TrackingId;
        return new(StatusCodes.Status202Accepted, "Retried", outcome.TrackingId, [], later);
    }

    /// <summary>The body read as the kind it was sent as, not yet accepted.</summary>
    private static InboundRead Read(QuarantineRecord record, Agency agency, IServiceProvider services)
    {
        if (record.Kind == InboundKinds.ConcernKind)
        {
            var read = ConcernReader.Read(record.Body);
            return read.Ok ? new(record.Kind, read.Concern, null) : Unreadable(record.Kind, read.Errors);
        }
        if (record.Kind == InboundKinds.FhirBundleKind && FhirEndpoints.FormatOf(record.ContentType) == FhirFormat.Xml)
        {
            // The inbound kind reads JSON; a bundle posted as XML is read as XML, as it was sent.
            return services.GetRequiredService<HealthFhirAdapter>().Read(record.Body, FhirFormat.Xml) is AdapterResult.Success read
                ? new(record.Kind, read.Concern, null)
                : Unreadable(record.Kind, [new FieldError("Bundle", "The FHIR bundle is still refused; POST it to /api/v1/fhir/Bundle to see each issue.")]);
        }
        return services.GetRequiredService<InboundDispatcher>().Read(agency, record.Kind, record.Body);
    }

    private static InboundRead Unreadable(string kind, IReadOnlyList<FieldError> errors) =>
        new(kind, null, IntakeOutcome.Refused(StatusCodes.Status400BadRequest, "still cannot be read", "invalid", errors));

    private static ReplayResult StillUnreadable(IReadOnlyList<FieldError> errors) =>
        new(StatusCodes.Status422UnprocessableEntity, "still cannot be read; it stays in quarantine", null, errors);

    private static ReplayResult StillRefused(IntakeOutcome outcome) =>
        new(StatusCodes.Status422UnprocessableEntity, $"still refused ({outcome.ReasonCode}); it stays in quarantine", null, outcome.Errors);
}
