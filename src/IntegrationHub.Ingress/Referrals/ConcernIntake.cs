using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Referrals;
using IntegrationHub.Persistence;
using IntegrationHub.Routing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Ingress.Referrals;

/// <summary>
/// Accepts a concern that has been read and authenticated: records it, then publishes it for routing. Once the record
/// is committed the concern cannot be lost: if publishing fails, the stalled-work sweeper publishes it later.
/// </summary>
public sealed class ConcernIntake(IDbContextFactory<HubDbContext> dbFactory, IPublishEndpoint publish, TimeProvider clock,
    HubMetrics metrics, ILogger<ConcernIntake> logger)
{
    public sealed record Accepted(Guid TrackingId, bool Duplicate);

    /// <param name="idempotencyKey">The sender's key for this submission: a retry with the same key gets the same tracking id and is not routed twice.</param>
    public async Task<Accepted> AcceptAsync(Agency agency, Concern concern, string channel, string? idempotencyKey, CancellationToken ct, string? childKey = null)
    {
        var trackingId = idempotencyKey is null ? Guid.CreateVersion7() : TrackingIdFor(agency, idempotencyKey);
        var now = clock.GetUtcNow();
        var message = new ConcernRaised
        {
            TrackingId = trackingId,
            Agency = agency,
            ReceivedAt = now,
            Channel = channel,
            ChildKey = childKey,
            Concern = concern with { Agency = agency },
        };

        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (idempotencyKey is not null && await db.Messages.AnyAsync(m => m.TrackingId == trackingId, ct))
                return new Accepted(trackingId, Duplicate: true);
            db.Messages.Add(new MessageRecord
            {
                TrackingId = trackingId,
                Agency = agency.ToString(),
                Kind = nameof(ConcernRaised),
                Channel = channel,
                ReceivedAt = now,
                Status = MessageStatus.Received,
                Payload = JsonSerializer.Serialize(message, ContractJson.Options),
            });
            db.Audit.Add(new AuditEntry
            {
                At = now, TrackingId = trackingId, Event = "Received", Actor = $"agency:{agency.ToString().ToLowerInvariant()}",
                Detail = $"{nameof(ConcernRaised)} over {channel}",
            });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException) when (idempotencyKey is not null)
            {
                return new Accepted(trackingId, Duplicate: true);
            }
        }
        metrics.Received(agency.ToString(), nameof(ConcernRaised), channel);

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

    private static Guid TrackingIdFor(Agency agency, string idempotencyKey)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{agency}/{idempotencyKey}"), hash);
        return new Guid(hash[..16]);
    }
}
