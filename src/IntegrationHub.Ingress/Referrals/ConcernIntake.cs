using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Referrals;
using IntegrationHub.Persistence;
using IntegrationHub.Ingress.Inbound;
using IntegrationHub.Ingress.Problems;
using IntegrationHub.Protocol;
using IntegrationHub.Protocol.Sharing;
using IntegrationHub.Routing;
using IntegrationHub.Routing.Referrals;
using IntegrationHub.Routing.Sharing;
using Microsoft.AspNetCore.Http;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using IntegrationHub.Routing.Messaging;

namespace IntegrationHub.Ingress.Referrals;

/// <summary>
/// Accepts a concern that has been read and authenticated. Over HTTP it records it, then publishes it for routing: once
/// the record is committed the concern cannot be lost (if publishing fails, the stalled-work sweeper publishes it).
/// Over AMQP the broker already holds it until acknowledged, so it is routed at once, before the acknowledgement.
/// An anonymous consultation (Y13-03) is checked first and the child's identifiers are stripped before anything is kept.
/// </summary>
public sealed class ConcernIntake(ReceiptStore receipts, IPublishEndpoint publish, TimeProvider clock,
    HubMetrics metrics, SharingProtocol protocol, ChildKeys childKeys, ConcernRouter router, ILogger<ConcernIntake> logger) : IInboundIntake
{
    public Type MessageType => typeof(Concern);

    public async Task<IntakeOutcome> AcceptAsync(Agency agency, object message, InboundChannel channel, CancellationToken ct)
    {
        var concern = (Concern)message;
        if (concern.Agency is { } claimed && claimed != agency)
            return IntakeOutcome.Refused(StatusCodes.Status403Forbidden, "Agency mismatch", "agency-mismatch",
                [new FieldError("agency", $"The body claims '{claimed}' but the credentials belong to '{agency}'. An agency can only send as itself.")]);

        string? childKey = null;
        if (concern.AnonymousConsultationRequested)
        {
            var now = clock.GetUtcNow();
            if (AnonymousConsultation.Check(concern, now, protocol.Options) is { } refusal)
                return IntakeOutcome.Refused(StatusCodes.Status422UnprocessableEntity, "Anonymous consultation refused", $"anonymous-refused:{refusal.RuleId}",
                    [new FieldError("anonymousConsultationRequested", $"{refusal.RuleId}: {refusal.Reason} The concern was not routed: send it again with anonymousConsultationRequested false.")]);
            // Y13-03: the key is taken from the identifiers, then the identifiers are gone before anything is stored.
            childKey = childKeys.For(concern.Child);
            concern = AnonymousConsultation.Strip(concern, now);
        }

        if (channel.Endpoints is not null)
        {
            var trackingId = TrackingIdFor(agency, channel.IdempotencyKey ?? throw new ArgumentException("An AMQP message needs an id.", nameof(channel)));
            var raised = new ConcernRaised
            {
                TrackingId = trackingId, Agency = agency, ReceivedAt = clock.GetUtcNow(), Channel = channel.Name, ChildKey = childKey,
                BodySha256 = channel.BodySha256, Concern = concern with { Agency = agency },
            };
            metrics.Received(agency.ToString(), nameof(ConcernRaised), channel.Name);
            // The router's decision store compares the body's fingerprint with the one kept under this message_id: a
            // redelivery is sent what is unsent; a different concern under the same message_id is neither decided nor sent.
            if (!await router.RouteAsync(raised, trackingId, channel.Endpoints, ct)) return IntakeOutcome.KeyReused(channel.Name);
            return IntakeOutcome.Ok(trackingId);
        }

        var accepted = await RecordAndPublishAsync(agency, concern, channel, childKey, ct);
        return accepted.KeyReused ? IntakeOutcome.KeyReused(channel.Name) : IntakeOutcome.Ok(accepted.TrackingId, accepted.Duplicate);
    }
    private sealed record Accepted(Guid TrackingId, bool Duplicate, bool KeyReused = false);

    /// <param name="channel">Its idempotency key is the sender's key for this submission: a retry with the same key (and
    /// the same body) gets the same tracking id and is not routed twice; a different body under it is refused.</param>
    private async Task<Accepted> RecordAndPublishAsync(Agency agency, Concern concern, InboundChannel channel, string? childKey, CancellationToken ct)
    {
        var trackingId = channel.IdempotencyKey is not { } idempotencyKey ? Guid.CreateVersion7() : TrackingIdFor(agency, idempotencyKey);
        var now = clock.GetUtcNow();
        var message = new ConcernRaised
        {
            TrackingId = trackingId,
            Agency = agency,
            ReceivedAt = now,
            Channel = channel.Name,
            ChildKey = childKey,
            BodySha256 = channel.BodySha256,
            Concern = concern with { Agency = agency },
        };

        var recorded = await receipts.RecordAsync(new Receipt(
            new MessageRecord
            {
                TrackingId = trackingId,
                Agency = agency.ToString(),
                Kind = nameof(ConcernRaised),
                Channel = channel.Name,
                ReceivedAt = now,
                Status = MessageStatus.Received,
                ChildKey = childKey,
                BodySha256 = channel.BodySha256,
                Payload = JsonSerializer.Serialize(message, ContractJson.Options),
            },
            new AuditEntry
            {
                At = now, TrackingId = trackingId, Event = "Received", Actor = $"agency:{agency.ToString().ToLowerInvariant()}",
                Detail = $"{nameof(ConcernRaised)} over {channel.Name}",
            }), ct);
        if (!recorded.Recorded)
            return ReusedKeys.SameBody(recorded.KeptBodySha256, channel.BodySha256)
                ? new Accepted(trackingId, Duplicate: true)
                : new Accepted(trackingId, Duplicate: false, KeyReused: true);
        metrics.Received(agency.ToString(), nameof(ConcernRaised), channel.Name);

        try
        {
            await publish.Publish(message, c => c.MessageId = trackingId, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Concern {TrackingId} is recorded but could not be published now; the sweeper will publish it", trackingId);
        }
        return new Accepted(trackingId, Duplicate: false);
    }

    /// <summary>The same sender key from the same agency always gives the same tracking id.</summary>
    public static Guid TrackingIdFor(Agency agency, string idempotencyKey)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{agency}/{idempotencyKey}"), hash);
        return new Guid(hash[..16]);
    }
}
