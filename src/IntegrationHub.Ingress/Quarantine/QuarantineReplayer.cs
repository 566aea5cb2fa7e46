using IntegrationHub.Adapters.Health;
using IntegrationHub.Adapters.Inbound;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Ingress.Fhir;
using IntegrationHub.Ingress.Inbound;
using IntegrationHub.Ingress.Problems;
using IntegrationHub.Ingress.Referrals;
using System.Data.Common;
using IntegrationHub.Persistence;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
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
/// operations console alike. Claims the record before it accepts, and marks it replayed with the caller's audit entry
/// only if it is still held (<see cref="QuarantineStatusChanges"/>): of two replays at once, one routes, marks and audits it.
/// <para>
/// Before it accepts, it looks for a later copy: the agency, told its message was refused, often sends a corrected
/// one, which is routed under its own tracking id. Replaying the original then would decide and deliver the same
/// concern twice. With a later copy the replay is held back (409, <see cref="ReplayResult.ResentLaterOutcome"/>,
/// naming the copies) unless <c>confirmed</c>: the operator has seen them and replays it anyway.
/// </para>
/// </summary>
public sealed class QuarantineReplayer(IServiceScopeFactory scopes, IDbContextFactory<HubDbContext> dbFactory)
{
    /// <param name="record">The input as read (its status and claim are checked again where they change).</param>
    /// <param name="audit">The audit entry of a replay that routes it, written with its new status.</param>
    public async Task<ReplayResult> ReplayAsync(QuarantineRecord record, bool confirmed, Func<ReplayResult, AuditEntry> audit, CancellationToken ct)
    {
        if (record.Status != QuarantineStatus.Held) return Already(record.Status, record.ReplayedAs);
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

        var replayAs = LaterCopies.ReplayTrackingId(record, agency, read.Message!);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // A replay that was interrupted after it accepted the input only has its status left to write: later copies do not
        // hold that back (the input is routed already; its own tracking id is never a later copy).
        var claimedBefore = record.ReplayedAs is not null;
        var routedBefore = claimedBefore && await db.Messages.AnyAsync(m => m.TrackingId == replayAs, ct);
        IReadOnlyList<LaterCopy> later = routedBefore ? [] : await services.GetRequiredService<LaterCopies>().FindAsync(record, agency, read.Message!, ct);
        if (later.Count > 0 && !confirmed)
        {
            // A replay interrupted before it accepted the input left its claim: given back, so that it can be discarded.
            if (claimedBefore) await QuarantineStatusChanges.ReleaseClaimAsync(db, record.Id, replayAs, ct);
            return new(StatusCodes.Status409Conflict, ReplayResult.ResentLaterOutcome, null, [], later);
        }

        // Claimed first, so that a discard racing this replay cannot mark as discarded an input that this replay routes.
        if (!await QuarantineStatusChanges.ClaimForReplayAsync(db, record.Id, replayAs, ct))
            return await AlreadyAsync(db, record.Id, ct);
        IntakeOutcome outcome;
        try
        {
            var channel = InboundChannel.Received("replay", LaterCopies.ReplayKey(record), record.Body);
            outcome = read.Message is Contracts.Referrals.Concern concern
                ? await services.GetRequiredService<ConcernIntake>().AcceptAsync(agency, concern, channel, ct)
                : await services.GetRequiredService<InboundDispatcher>().AcceptAsync(agency, read, channel, ct);
        }
        catch
        {
            await GiveBackAsync(db, record.Id, replayAs);
            throw;
        }
        if (!outcome.Accepted)
        {
            await QuarantineStatusChanges.ReleaseClaimAsync(db, record.Id, replayAs, ct);
            return StillRefused(outcome);
        }

        var replayed = new ReplayResult(StatusCodes.Status202Accepted, "Retried", outcome.TrackingId, [], later);
        // Of two replays at once (both accepted it under the one key, so it was recorded once), the first to mark it audits it.
        if (!await QuarantineStatusChanges.FinishReplayAsync(db, record.Id, outcome.TrackingId!.Value, audit(replayed), ct))
            return await AlreadyAsync(db, record.Id, ct);
        return replayed;
    }

    /// <summary>After an accept that failed (the database, say): the claim is given back if nothing was recorded under it.
    /// If that fails too, the claim stays and the input stays held; the next replay finishes or frees it.</summary>
    private static async Task GiveBackAsync(HubDbContext db, Guid id, Guid replayAs)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await QuarantineStatusChanges.ReleaseClaimAsync(db, id, replayAs, timeout.Token);
        }
        catch (Exception ex) when (ex is DbException or DbUpdateException or InvalidOperationException or OperationCanceledException)
        {
        }
    }

    private static ReplayResult Already(QuarantineStatus status, Guid? replayedAs) =>
        new(StatusCodes.Status409Conflict, $"already {status}", replayedAs, []);

    private static async Task<ReplayResult> AlreadyAsync(HubDbContext db, Guid id, CancellationToken ct)
    {
        var (status, replayedAs) = await QuarantineStatusChanges.CurrentAsync(db, id, ct);
        return Already(status, replayedAs);
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
