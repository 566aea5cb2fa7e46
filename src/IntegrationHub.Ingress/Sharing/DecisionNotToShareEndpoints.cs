using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Referrals;
using IntegrationHub.Contracts.Sharing;
using IntegrationHub.Ingress.Inbound;
using IntegrationHub.Ingress.Problems;
using IntegrationHub.Ingress.Referrals;
using IntegrationHub.Persistence;
using IntegrationHub.Protocol;
using IntegrationHub.Protocol.Sharing;
using IntegrationHub.Routing;
using IntegrationHub.Routing.Messaging;
using IntegrationHub.Routing.Sharing;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Ingress.Sharing;

/// <summary>
/// REC-01 and U13-02 (handbook 9.7): an agency that decides not to refer records why. The hub accepts the record only
/// when it is complete; otherwise it answers 422 listing every missing item, keeps the record in quarantine, and tells
/// the agency's named lead on its feedback queue.
/// </summary>
public static class DecisionNotToShareEndpoints
{
    public const string Channel = "http";

    public sealed record Recorded(Guid TrackingId, string Status, string Decision);

    public static IEndpointRouteBuilder MapDecisionNotToShareEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/decisions-not-to-share", Post)
            .WithName("PostDecisionNotToShare")
            .WithSummary("An agency records a decision not to share (handbook 9.7).")
            .WithDescription("Body: the DecisionNotToShare contract. 201 when complete; 422 listing every missing item otherwise " +
                             "(factors may be empty; withheld-from, reasons, decision-makers, safeguarding lead, signature and date are required; " +
                             "for a child under 13 also a named senior manager's approval and detailed reasons; a concernTrackingId, " +
                             "when given, must be a concern the sending agency sent to the hub).")
            .Produces<Recorded>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    private static async Task<IResult> Post(HttpContext http, SharingProtocol protocol, IDbContextFactory<HubDbContext> dbFactory,
        DeliverySender sender, ISendEndpointProvider endpoints, TimeProvider clock, HubMetrics metrics, ILoggerFactory loggers, CancellationToken ct)
    {
        var (gate, problem) = await IngressGate.OpenAsync(http, Channel, kind: null); // incomplete records are sent again complete, not replayed
        if (problem is not null) return problem;
        var (record, error) = ConcernReader.ReadStrict<DecisionNotToShare>(gate!.Body.Bytes);
        if (record is null)
            return await gate.RefuseAsync(StatusCodes.Status400BadRequest, "The record could not be read", "invalid", [error!]);

        var now = clock.GetUtcNow();
        var today = LocalDates.Of(now, protocol.Options.TimeZone);
        var concernIsTheSenders = record.ConcernTrackingId is not { } concernId || await SentConcernAsync(dbFactory, gate.Agency, concernId, ct);
        var problems = DecisionNotToShareValidator.Validate(record, today, protocol.Options, concernIsTheSenders);
        if (problems.Count > 0)
        {
            var errors = problems.Select(p => new FieldError(p.Field, $"{p.RuleId}: {p.Message}")).ToList();
            // The record and the notice to the named lead are committed together: neither is kept without the other.
            DeliveryRecord? notice = null;
            var quarantineId = await gate.QuarantineAsync("Decision not to share incomplete", "record-incomplete", errors,
                (db, id) => db.Deliveries.Add(notice = NoticeToNamedLead(record, gate.Agency, id, problems, now)));
            await SendNoticeAsync(notice!, gate.Agency, sender, endpoints, loggers, ct);
            // Say who was told only as far as the hub knows: the notice goes to the agency's feedback queue, addressed to the
            // named lead the record gives, if it gives one.
            var told = record.NamedLead is { Name: { } lead } && !string.IsNullOrWhiteSpace(lead)
                ? "your named lead has been told (a notice on your agency's feedback queue, addressed to them)"
                : "a notice went to your agency's feedback queue; the record names no named lead (namedLead), so give one when you send it again";
            return HubProblems.Problem(StatusCodes.Status422UnprocessableEntity, "Decision not to share incomplete",
                $"The record was not accepted. It is kept in quarantine, and {told}.", errors, quarantineId);
        }

        // A retry with the same Idempotency-Key (after a timeout on the 201, say) gets the record already kept, not a second one.
        var idempotencyKey = http.Request.Headers["Idempotency-Key"].FirstOrDefault();
        var trackingId = string.IsNullOrWhiteSpace(idempotencyKey)
            ? Guid.CreateVersion7()
            : ConcernIntake.TrackingIdFor(gate.Agency, $"{nameof(DecisionNotToShare)}/{idempotencyKey}");
        var location = $"/api/v1/decisions/{trackingId}";
        var message = new DecisionNotToShareRecorded { TrackingId = trackingId, Agency = gate.Agency, ReceivedAt = now, Record = record };
        var age = DecisionNotToShareValidator.ChildAge(record, today);
        var rules = new List<RuleFired>
        {
            new("REC-01", "9.7", "The decision not to share is recorded with its factors, reasons, accountable decision-makers, the safeguarding lead consulted, signature and date."),
        };
        if (age < protocol.Options.AgeOfConsentBoundaryUnder13)
            rules.Add(new("U13-02", "9.2, 9.7", $"The child is {age}: the record carries a named senior manager's approval and detailed reasons."));
        var decision = new RoutingDecision { ProtocolVersion = protocol.Options.Version, RulesFired = rules };

        // The same record sent again, or a different one under a reused key (an amended record): that is refused, not
        // answered as recorded, or the amendment would be lost.
        async Task<IResult> KeptBeforeAsync(string keptPayload) =>
            ReusedKeys.SameAsKept(keptPayload, message, m => m.Record)
                ? Results.Created(location, new Recorded(trackingId, "Recorded", location))
                : await gate.RefuseAsync(StatusCodes.Status409Conflict, IntakeOutcome.KeyReusedTitle, ReusedKeys.ReasonCode, [IntakeOutcome.KeyReusedError(Channel)]);

        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (idempotencyKey is not null && await ReusedKeys.KeptPayloadAsync(db, trackingId, ct) is { } kept)
                return await KeptBeforeAsync(kept);
            db.Messages.Add(new MessageRecord
            {
                TrackingId = trackingId, Agency = gate.Agency.ToString(), Kind = nameof(DecisionNotToShareRecorded), Channel = Channel,
                ReceivedAt = now, Status = MessageStatus.Decided, DecidedAt = now,
                Payload = JsonSerializer.Serialize(message, ContractJson.Options),
            });
            db.Decisions.Add(new DecisionRecord
            {
                TrackingId = trackingId, Revision = 1, DecidedAt = now, ProtocolVersion = decision.ProtocolVersion,
                Decision = JsonSerializer.Serialize(decision, ContractJson.Options), RuleIds = string.Join(' ', rules.Select(r => r.RuleId)),
            });
            db.Audit.Add(new AuditEntry
            {
                At = now, TrackingId = trackingId, Event = "DecisionNotToShareRecorded", Actor = $"agency:{gate.Agency.ToString().ToLowerInvariant()}",
                Detail = $"withheld from {string.Join(',', record.WithheldFrom)}; rules {string.Join(',', rules.Select(r => r.RuleId))}",
            });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException) when (idempotencyKey is not null)
            {
                // The same key, sent twice at once: the other request kept it. Anything else is a real failure.
                await using var fresh = await dbFactory.CreateDbContextAsync(ct);
                if (await ReusedKeys.KeptPayloadAsync(fresh, trackingId, ct) is not { } keptMeanwhile) throw;
                return await KeptBeforeAsync(keptMeanwhile);
            }
        }
        metrics.Received(gate.Agency.ToString(), nameof(DecisionNotToShareRecorded), Channel);
        return Results.Created(location, new Recorded(trackingId, "Recorded", location));
    }

    /// <summary>Whether <paramref name="agency"/> sent the hub a concern with this tracking id (received, whatever became of it since).</summary>
    private static async Task<bool> SentConcernAsync(IDbContextFactory<HubDbContext> dbFactory, Contracts.Common.Agency agency, Guid trackingId, CancellationToken ct)
    {
        var sender = agency.ToString();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Messages.AnyAsync(m => m.TrackingId == trackingId && m.Agency == sender && m.Kind == nameof(ConcernRaised), ct);
    }

    /// <summary>The outbox row of the notice that tells the agency's named lead the record was refused, and why.</summary>
    private static DeliveryRecord NoticeToNamedLead(DecisionNotToShare record, Contracts.Common.Agency agency, Guid quarantineId,
        IReadOnlyList<ValidationProblem> problems, DateTimeOffset now)
    {
        var notification = new DecisionNotToShareRejected
        {
            NotificationId = Guid.CreateVersion7(),
            QuarantineId = quarantineId,
            Agency = agency,
            RejectedAt = now,
            NamedLead = record.NamedLead,
            Problems = problems.Select(p => new RecordProblem(p.Field, p.Message, p.RuleId)).ToList(),
        };
        return new DeliveryRecord
        {
            DeliveryId = notification.NotificationId,
            TrackingId = quarantineId,
            Recipient = $"NamedLead:{agency}",
            Queue = RecipientQueues.FeedbackFor(agency),
            MessageKind = nameof(DecisionNotToShareRejected),
            CreatedAt = now,
            Payload = JsonSerializer.Serialize(notification, ContractJson.Options),
        };
    }

    /// <summary>Sends the staged notice now; the sweeper sends it later if the bus is down.</summary>
    private static async Task SendNoticeAsync(DeliveryRecord notice, Contracts.Common.Agency agency, DeliverySender sender, ISendEndpointProvider endpoints,
        ILoggerFactory loggers, CancellationToken ct)
    {
        try
        {
            await sender.SendAsync([notice], endpoints, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            loggers.CreateLogger(typeof(DecisionNotToShareEndpoints).FullName!)
                .LogWarning(ex, "Feedback {NotificationId} to {Agency} is staged; the sweeper will send it", notice.DeliveryId, agency);
        }
    }
}
