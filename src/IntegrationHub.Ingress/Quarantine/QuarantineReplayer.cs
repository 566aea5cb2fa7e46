using IntegrationHub.Contracts.Common;
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
/// Reads a quarantined body again and, if it now reads (e.g. after a contract fix), accepts it as the concern it is.
/// The quarantine id is the idempotency key, so replaying twice routes once. Used by the quarantine API and the
/// operations console alike. Marks the record replayed; the caller audits and saves.
/// </summary>
public sealed class QuarantineReplayer(IServiceScopeFactory scopes)
{
    public async Task<ReplayResult> ReplayAsync(QuarantineRecord record, CancellationToken ct)
    {
        if (record.Status != QuarantineStatus.Held)
            return new(StatusCodes.Status409Conflict, $"already {record.Status}", record.ReplayedAs, []);
        if (record.Channel != ConcernEndpoints.Channel || !Enum.TryParse<Agency>(record.Agency, out var agency))
            return new(StatusCodes.Status422UnprocessableEntity, "cannot replay: only concerns refused on the HTTP concern endpoint from a known agency can be replayed", null, []);
        if (record.BodyLength > record.Body.Length)
            return new(StatusCodes.Status422UnprocessableEntity, "cannot replay: only part of this body was kept", null, []);

        var read = ConcernReader.Read(record.Body);
        if (!read.Ok)
            return new(StatusCodes.Status422UnprocessableEntity, "still cannot be read; it stays in quarantine", null, read.Errors);

        using var scope = scopes.CreateScope();
        var intake = scope.ServiceProvider.GetRequiredService<ConcernIntake>();
        var outcome = await intake.AcceptAsync(agency, read.Concern!, new InboundChannel("replay", $"quarantine/{record.Id}"), ct);
        if (!outcome.Accepted)
            return new(StatusCodes.Status422UnprocessableEntity, $"still refused ({outcome.ReasonCode}); it stays in quarantine", null, outcome.Errors);

        record.Status = QuarantineStatus.Replayed;
        record.ReplayedAs = outcome.TrackingId;
        return new(StatusCodes.Status202Accepted, "Retried", outcome.TrackingId, []);
    }
}
