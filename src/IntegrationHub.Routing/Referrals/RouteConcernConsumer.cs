using System.Diagnostics;
using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Contracts.Referrals;
using IntegrationHub.Contracts.Sharing;
using IntegrationHub.Persistence;
using IntegrationHub.Protocol;
using IntegrationHub.Protocol.Release;
using IntegrationHub.Routing.Failures;
using IntegrationHub.Routing.Messaging;
using IntegrationHub.Routing.Sharing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Routing.Referrals;

/// <summary>Routes each concern published on the bus (HTTP and FHIR ingress publish them). Thin: the work is the router's.</summary>
public sealed class RouteConcernConsumer(ConcernRouter router) : IConsumer<ConcernRaised>
{
    public Task Consume(ConsumeContext<ConcernRaised> context)
    {
        var redecide = context.Headers.TryGetHeader(ConcernRouter.RedecideHeader, out var flag) && flag is true or "true" or "True";
        // What comes over the bus is a concern already kept (published on receipt, by the stalled-work sweeper or by an
        // operator's retry, each from its own row and fingerprint): one the router turns away as another concern under
        // the key loses nothing, and there is no sender to tell, so the router's warning is all there is to do.
        return router.RouteAsync(context.Message, context.MessageId ?? context.Message.TrackingId, context, context.CancellationToken, redecide);
    }
}

/// <summary>
/// Decides where a concern goes and delivers it. The decision, its audit entry, the deliveries to send and the inbox
/// mark are committed together (by the <see cref="DecisionStore"/>, in a group commit with other concerns) before
/// anything is sent or acknowledged; a redelivered message finds its decision and only sends what was not yet sent.
/// </summary>
public sealed class ConcernRouter(
    IDbContextFactory<HubDbContext> dbFactory,
    DecisionStore decisions,
    SharingProtocol protocol,
    ChildKeys childKeys,
    DeliverySender sender,
    TimeProvider clock,
    HubMetrics metrics,
    RoutingFaultSwitch faults,
    ILogger<ConcernRouter> logger)
{
    public const string InboxName = "route-concern";

    /// <summary>
    /// Set by an operator's retry: if the concern was already decided, run the protocol again and, when the decision
    /// differs (e.g. the protocol changed), record it as the next revision and deliver it. History is kept.
    /// </summary>
    public const string RedecideHeader = "hub-redecide";

    /// <param name="messageId">The id the inbox records: a redelivery of the same message carries the same id.</param>
    /// <param name="endpoints">Where to send the deliveries from (the consume context, so conversation ids flow).</param>
    /// <param name="redecide">An operator's retry: decide again even if decided before (see <see cref="RedecideHeader"/>).</param>
    /// <returns>False when a different body was kept under this tracking id (its sender's key used again for another
    /// concern): nothing was decided or sent.</returns>
    public async Task<bool> RouteAsync(ConcernRaised message, Guid messageId, ISendEndpointProvider endpoints, CancellationToken ct, bool redecide = false)
    {
        faults.ThrowIfOn();
        var started = Stopwatch.GetTimestamp();
        var pending = await DecideOnceAsync(message, messageId, redecide, ct);
        if (pending is null) return false;
        metrics.Decided(Stopwatch.GetElapsedTime(started), nameof(ConcernRaised));
        await sender.SendAsync(pending, endpoints, ct);
        return true;
    }

    private async Task<IReadOnlyList<DeliveryRecord>?> DecideOnceAsync(ConcernRaised message, Guid messageId, bool redecide, CancellationToken ct)
    {
        if (redecide)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            if (await db.Decisions.AnyAsync(d => d.TrackingId == message.TrackingId, ct)) return await RedecideAsync(db, message, ct);
        }

        // The protocol runs before the store is asked whether the concern was decided already: the store answers that
        // for a whole group of concerns in one query, and a redelivery is rare enough that the wasted evaluation (a few
        // microseconds) costs less than a round trip per concern.
        var now = clock.GetUtcNow();
        // As of when the hub received it: a concern decided late (after an outage, or by the sweeper) keeps the clocks and
        // ages it had on arrival, and a decision can be reproduced from the stored message.
        var decision = protocol.Evaluate(message, ProtocolContext.At(message.ReceivedAt));
        var childKey = message.ChildKey ?? childKeys.For(message.Concern.Child);
        var deliveries = decision.Recipients.Select(r => Stage(message, decision, r, childKey, now, revision: 1)).ToList();
        var committed = await decisions.CommitAsync(new DecisionDraft(message, messageId, decision, childKey, now, deliveries), ct);
        if (committed.KeyReused)
        {
            logger.LogWarning("Concern {TrackingId} from {Agency} over {Channel} not decided: another concern was kept under the same key",
                message.TrackingId, message.Agency, message.Channel);
            return null;
        }
        if (committed.AlreadyDecided)
        {
            logger.LogInformation("Concern {TrackingId} was already decided; sending only what is unsent", message.TrackingId);
        }
        else
        {
            logger.LogInformation("Concern {TrackingId} from {Agency} decided: rules {Rules}; recipients {Recipients}",
                message.TrackingId, message.Agency, string.Join(',', decision.RulesFired.Select(r => r.RuleId)),
                string.Join(',', decision.Recipients.Select(r => r.Recipient)));
        }
        return committed.ToSend;
    }

    /// <summary>A retry of a decided concern: the protocol runs again; a different decision becomes the next revision.</summary>
    private async Task<IReadOnlyList<DeliveryRecord>> RedecideAsync(HubDbContext db, ConcernRaised message, CancellationToken ct)
    {
        var latest = await db.Decisions.AsNoTracking().Where(d => d.TrackingId == message.TrackingId).OrderByDescending(d => d.Revision).FirstAsync(ct);
        var now = clock.GetUtcNow();
        var decision = protocol.Evaluate(message, ProtocolContext.At(message.ReceivedAt));
        var ruleIds = string.Join(' ', decision.RulesFired.Select(r => r.RuleId));
        var previous = JsonSerializer.Deserialize<RoutingDecision>(latest.Decision, ContractJson.Options);
        var sameRecipients = previous is not null && previous.Recipients.Select(r => $"{r.Recipient}:{r.Priority}").Order()
            .SequenceEqual(decision.Recipients.Select(r => $"{r.Recipient}:{r.Priority}").Order());
        if (latest.ProtocolVersion == decision.ProtocolVersion && latest.RuleIds == ruleIds && sameRecipients)
        {
            logger.LogInformation("Concern {TrackingId} re-evaluated on retry: decision unchanged", message.TrackingId);
            return await UnsentAsync(db, message.TrackingId, ct);
        }

        var revision = latest.Revision + 1;
        var childKey = (await db.Messages.AsNoTracking().Where(m => m.TrackingId == message.TrackingId).Select(m => m.ChildKey).FirstOrDefaultAsync(ct))
                       ?? message.ChildKey ?? childKeys.For(message.Concern.Child);
        var deliveries = decision.Recipients.Select(r => Stage(message, decision, r, childKey, now, revision)).ToList();
        db.Decisions.Add(new DecisionRecord
        {
            TrackingId = message.TrackingId, Revision = revision, DecidedAt = now, ProtocolVersion = decision.ProtocolVersion,
            Decision = JsonSerializer.Serialize(decision, ContractJson.Options), RuleIds = ruleIds,
        });
        db.Deliveries.AddRange(deliveries);
        db.Audit.Add(new AuditEntry
        {
            At = now, TrackingId = message.TrackingId, Event = "Redecided", Actor = "router",
            Detail = $"revision {revision}: protocol {decision.ProtocolVersion} (was {latest.ProtocolVersion}); rules {string.Join(',', decision.RulesFired.Select(r => r.RuleId))}; " +
                     $"recipients {string.Join(',', decision.Recipients.Select(r => $"{r.Recipient}:{r.Priority}"))}",
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another consumer recorded this revision first (unique tracking id and revision): send what it left unsent.
            // If nobody did, the write itself failed (a connection lost mid-write): the retry must happen, not be
            // acknowledged as done with the new revision never stored.
            await using var fresh = await dbFactory.CreateDbContextAsync(ct);
            if (!await fresh.Decisions.AnyAsync(d => d.TrackingId == message.TrackingId && d.Revision == revision, ct)) throw;
            return await UnsentAsync(fresh, message.TrackingId, ct);
        }
        logger.LogInformation("Concern {TrackingId} re-decided on retry as revision {Revision}", message.TrackingId, revision);
        return deliveries;
    }

    private static DeliveryRecord Stage(ConcernRaised message, RoutingDecision decision, RecipientDecision recipient, string? childKey, DateTimeOffset now, int revision)
    {
        var deliveryId = DeliveryIds.For(message.TrackingId, recipient.Recipient, revision);
        var explained = ReleaseProfiles.Explain(decision, recipient.Recipient);
        var shared = new ConcernShared
        {
            DeliveryId = deliveryId,
            TrackingId = message.TrackingId,
            Recipient = recipient.Recipient,
            Agency = message.Agency,
            DecidedAt = now,
            Priority = recipient.Priority,
            Purpose = recipient.Purpose,
            ProtocolVersion = decision.ProtocolVersion,
            ChildKey = childKey,
            RulesFired = explained.RulesFired,
            Actions = explained.Actions,
            Deadlines = explained.Deadlines,
            Flags = explained.Flags,
            FieldsWithheld = recipient.FieldsWithheld,
            Concern = ReleaseProfiles.Cut(message.Concern, recipient.Recipient, now, decision.Flags),
        };
        return new DeliveryRecord
        {
            DeliveryId = deliveryId,
            TrackingId = message.TrackingId,
            Recipient = recipient.Recipient.ToString(),
            Queue = RecipientQueues.For(recipient.Recipient),
            CreatedAt = now,
            Payload = JsonSerializer.Serialize(shared, ContractJson.Options),
            Message = shared,
        };
    }

    private static async Task<IReadOnlyList<DeliveryRecord>> UnsentAsync(HubDbContext db, Guid trackingId, CancellationToken ct) =>
        await db.Deliveries.AsNoTracking().Where(d => d.TrackingId == trackingId && d.SentAt == null).ToListAsync(ct);
}
