using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.MissingEpisodes;
using IntegrationHub.Contracts.Referrals;
using IntegrationHub.Contracts.ReturnInterviews;
using IntegrationHub.Ingress.Referrals;
using IntegrationHub.Lifecycle.Intake;
using IntegrationHub.Persistence;
using IntegrationHub.Routing.Sharing;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Ingress.Quarantine;

/// <summary>
/// A message the hub accepted after an input was quarantined that is plausibly that input sent again: the agency was
/// told its message was refused, and sent a corrected copy.
/// </summary>
/// <param name="MatchedOn">What the two have in common besides the agency and the kind: <c>child and senderReference</c>,
/// <c>child</c>, <c>senderReference</c> (concerns) or <c>policeReference</c> (missing, found and return-interview reports).</param>
public sealed record LaterCopy(Guid TrackingId, DateTimeOffset ReceivedAt, string Kind, string Channel, string MatchedOn);

/// <summary>
/// Finds the later copies of a quarantined input before a replay routes it, so that a refused concern the agency has
/// since sent again is not decided and delivered a second time under a second tracking id.
/// <para>
/// A later copy is a message from the same agency (the one whose credentials sent the refused input: an agency only
/// ever sends as itself), of the same kind once read (a concern, whatever format or channel it came in; or a missing,
/// found or return-interview report), received after the input was quarantined (a message from before the refusal
/// cannot be a reaction to it), that is not this input's own replay, and that names the same thing:
/// </para>
/// <list type="bullet">
/// <item>A concern: the same child, by the hub's pseudonymous child key (NHS number, else local child id, else name
/// and date of birth: the same key the hub links a child's messages by), and, when both carry a
/// <c>senderReference</c>, the same reference (trimmed, any case). The reference alone is not enough: what it
/// identifies depends on the sender. PPD1's is the notification and a FHIR referral's the ServiceRequest (a concern),
/// but a DSL concern's is the pupil's UPN (the child), a probation concern's the supervised adult's case (several
/// children may be named under one case) and a YOT concern's the young person's case. So two concerns with one
/// reference about two children are two concerns, and two with different references about one child are too. For
/// education and YOT the rule therefore comes down to "the same child from the same agency since the refusal", the
/// most their data can tell; the operator decides, with the later tracking ids in hand. Only when the refused concern
/// names the child by nothing stable is its reference the one link, and a later concern with the same reference is
/// taken as a copy.</item>
/// <item>A missing, found or return-interview report: the same police reference, which is the episode's own key
/// (<c>EpisodeIds</c>: trimmed, any case). One episode has one missing report and one found report; a later report of
/// the same kind for the same episode from the same agency is its resend or supersedes it.</item>
/// </list>
/// Concerns the hub raised itself (RI-01, from a return interview's findings) are never copies. A concern whose child
/// has no stable identifiers and no reference links to nothing, and is replayed as before.
/// </summary>
public sealed class LaterCopies(IDbContextFactory<HubDbContext> dbFactory, ChildKeys childKeys)
{
    /// <summary>What a replay of this record sends as its idempotency key: its own replay is never a later copy of it.</summary>
    public static string ReplayKey(QuarantineRecord record) => $"quarantine/{record.Id}";

    /// <summary>The tracking id a replay of this record has: derived from <see cref="ReplayKey"/> as the intake for the
    /// contract it reads as derives it (a concern's, or a missing, found or return-interview report's).</summary>
    public static Guid ReplayTrackingId(QuarantineRecord record, Agency agency, object message) => message is Concern
        ? ConcernIntake.TrackingIdFor(agency, ReplayKey(record))
        : LifecycleIntake.TrackingIdFor(agency, message.GetType().Name, ReplayKey(record));

    /// <summary>The copies in words, for an operator: each tracking id, when it arrived and what it shares with the input.</summary>
    public static string Describe(IEnumerable<LaterCopy> copies) => string.Join("; ", copies.Select(c =>
        $"{c.TrackingId} received {c.ReceivedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC (same {c.MatchedOn})"));

    /// <param name="message">The contract the quarantined body now reads as.</param>
    public Task<IReadOnlyList<LaterCopy>> FindAsync(QuarantineRecord record, Agency agency, object message, CancellationToken ct) => message switch
    {
        Concern concern => ConcernsAsync(record, agency, concern, ct),
        ChildReportedMissing missing => ReportsAsync<ChildReportedMissing>(record, agency, missing.PoliceReference, m => m.PoliceReference, ct),
        ChildFound found => ReportsAsync<ChildFound>(record, agency, found.PoliceReference, m => m.PoliceReference, ct),
        ReturnInterviewCompleted interview => ReportsAsync<ReturnInterviewCompleted>(record, agency, interview.PoliceReference, m => m.PoliceReference, ct),
        _ => Task.FromResult<IReadOnlyList<LaterCopy>>([]),
    };

    private async Task<IReadOnlyList<LaterCopy>> ConcernsAsync(QuarantineRecord record, Agency agency, Concern concern, CancellationToken ct)
    {
        // The key is taken from the identifiers as sent, as the intake does before it strips an anonymous consultation.
        var childKey = childKeys.For(concern.Child);
        var reference = Reference(concern.SenderReference);
        if (childKey is null && reference is null) return [];

        var own = ReplayTrackingId(record, agency, concern);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = Later(db, record, agency, nameof(ConcernRaised), own);
        // A decided concern carries its child key; one not decided yet (still waiting, or failed) has none until then,
        // so its key is worked out from its content below.
        if (childKey is not null) query = query.Where(m => m.ChildKey == childKey || m.ChildKey == null);

        var copies = new List<LaterCopy>();
        await foreach (var m in query.OrderBy(m => m.ReceivedAt)
                           .Select(m => new { m.TrackingId, m.ReceivedAt, m.Channel, m.ChildKey, m.Payload }).AsAsyncEnumerable().WithCancellation(ct))
        {
            // Retention may have purged the content: the stored child key is then all there is to compare.
            var raised = m.Payload.Length == 0 ? null : JsonSerializer.Deserialize<ConcernRaised>(m.Payload, ContractJson.Options);
            if (raised?.FromReturnInterview is not null) continue;
            var theirChild = m.ChildKey ?? raised?.ChildKey ?? (raised is null ? null : childKeys.For(raised.Concern.Child));
            if (Match(childKey, reference, theirChild, Reference(raised?.Concern.SenderReference)) is { } matched)
                copies.Add(new LaterCopy(m.TrackingId, m.ReceivedAt, nameof(ConcernRaised), m.Channel, matched));
        }
        return copies;
    }

    /// <summary>The same child, and the same reference when both carry one; with no child key, the same reference (see above).</summary>
    private static string? Match(string? child, string? reference, string? theirChild, string? theirReference)
    {
        var bothReferences = reference is not null && theirReference is not null;
        var sameReference = bothReferences && string.Equals(reference, theirReference, StringComparison.OrdinalIgnoreCase);
        if (child is null) return sameReference ? "senderReference" : null;
        if (theirChild != child || (bothReferences && !sameReference)) return null;
        return sameReference ? "child and senderReference" : "child";
    }

    private async Task<IReadOnlyList<LaterCopy>> ReportsAsync<T>(QuarantineRecord record, Agency agency, string policeReference,
        Func<T, string> referenceOf, CancellationToken ct) where T : class
    {
        var reference = Reference(policeReference);
        if (reference is null) return [];
        var kind = typeof(T).Name;
        var own = LifecycleIntake.TrackingIdFor(agency, kind, ReplayKey(record));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var copies = new List<LaterCopy>();
        await foreach (var m in Later(db, record, agency, kind, own).Where(m => m.Payload != "").OrderBy(m => m.ReceivedAt)
                           .Select(m => new { m.TrackingId, m.ReceivedAt, m.Channel, m.Payload }).AsAsyncEnumerable().WithCancellation(ct))
        {
            var report = JsonSerializer.Deserialize<T>(m.Payload, ContractJson.Options);
            if (report is not null && string.Equals(Reference(referenceOf(report)), reference, StringComparison.OrdinalIgnoreCase))
                copies.Add(new LaterCopy(m.TrackingId, m.ReceivedAt, kind, m.Channel, "policeReference"));
        }
        return copies;
    }

    private static IQueryable<MessageRecord> Later(HubDbContext db, QuarantineRecord record, Agency agency, string kind, Guid own)
    {
        var name = agency.ToString();
        var since = record.At;
        return db.Messages.AsNoTracking().Where(m => m.Agency == name && m.Kind == kind && m.ReceivedAt > since && m.TrackingId != own);
    }

    private static string? Reference(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
