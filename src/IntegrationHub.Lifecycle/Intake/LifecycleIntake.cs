using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.MissingEpisodes;
using IntegrationHub.Contracts.ReturnInterviews;
using IntegrationHub.Persistence;
using IntegrationHub.Routing;
using IntegrationHub.Routing.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Lifecycle.Intake;

/// <summary>
/// Accepts a missing report, a found report or a return interview from any channel (HTTP, AMQP): stamps the hub's
/// tracking id, the agency from the credentials and the time, records it, then publishes it. Once recorded it cannot be
/// lost: if publishing fails the stalled-work sweeper publishes it later.
/// </summary>
public sealed class LifecycleIntake(IDbContextFactory<HubDbContext> dbFactory, IPublishEndpoint publish, TimeProvider clock,
    HubMetrics metrics, ILogger<LifecycleIntake> logger)
{
    /// <param name="Duplicate">Kept before under the same idempotency key: nothing was done now.</param>
    /// <param name="KeyReused">The idempotency key was used before for a different message: this one was refused, nothing was done.</param>
    public sealed record Accepted(Guid TrackingId, Guid EpisodeId, bool Duplicate, bool KeyReused = false);

    public Task<Accepted> AcceptAsync(Agency agency, ChildReportedMissing body, string channel, string? idempotencyKey, CancellationToken ct) =>
        AcceptAsync(agency, channel, idempotencyKey, body.PoliceReference, body,
            (m, id, now) => m with { TrackingId = id, Agency = agency, ReceivedAt = now }, ct);

    public Task<Accepted> AcceptAsync(Agency agency, ChildFound body, string channel, string? idempotencyKey, CancellationToken ct) =>
        AcceptAsync(agency, channel, idempotencyKey, body.PoliceReference, body,
            (m, id, now) => m with { TrackingId = id, Agency = agency, ReceivedAt = now }, ct);

    public Task<Accepted> AcceptAsync(Agency agency, ReturnInterviewCompleted body, string channel, string? idempotencyKey, CancellationToken ct) =>
        AcceptAsync(agency, channel, idempotencyKey, body.PoliceReference, body,
            (m, id, now) => m with { TrackingId = id, Agency = agency, ReceivedAt = now }, ct);

    /// <param name="stamp">The hub's stamps (tracking id, agency, time received) on a message as the sender sent it.</param>
    private async Task<Accepted> AcceptAsync<T>(Agency agency, string channel, string? idempotencyKey, string policeReference, T body,
        Func<T, Guid, DateTimeOffset, T> stamp, CancellationToken ct) where T : class
    {
        var kind = typeof(T).Name;
        var trackingId = idempotencyKey is null ? Guid.CreateVersion7() : TrackingIdFor(agency, kind, idempotencyKey);
        var episodeId = EpisodeIds.For(policeReference);
        var now = clock.GetUtcNow();
        var message = stamp(body, trackingId, now);
        // What was kept under the key, if anything: the same report sent again, or a different one under a reused key.
        Accepted KeptBefore(string keptPayload) =>
            ReusedKeys.SameAsKept(keptPayload, message, m => stamp(m, Guid.Empty, default))
                ? new Accepted(trackingId, episodeId, Duplicate: true)
                : new Accepted(trackingId, episodeId, Duplicate: false, KeyReused: true);

        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (idempotencyKey is not null && await ReusedKeys.KeptPayloadAsync(db, trackingId, ct) is { } kept)
                return KeptBefore(kept);
            db.Messages.Add(new MessageRecord
            {
                TrackingId = trackingId, Agency = agency.ToString(), Kind = kind, Channel = channel, ReceivedAt = now,
                Status = MessageStatus.Received, Payload = JsonSerializer.Serialize(message, ContractJson.Options),
            });
            db.Audit.Add(new AuditEntry
            {
                At = now, TrackingId = trackingId, Event = "Received", Actor = $"agency:{agency.ToString().ToLowerInvariant()}",
                Detail = $"{kind} over {channel}",
            });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException) when (idempotencyKey is not null)
            {
                // The same key, sent twice at once: the other one kept it. Anything else (a connection lost mid-write, a
                // value the database refuses) is a real failure, and must reach the sender as one: answered as a
                // duplicate, the report would be acknowledged and never stored.
                await using var fresh = await dbFactory.CreateDbContextAsync(ct);
                if (await ReusedKeys.KeptPayloadAsync(fresh, trackingId, ct) is not { } keptMeanwhile) throw;
                return KeptBefore(keptMeanwhile);
            }
        }
        metrics.Received(agency.ToString(), kind, channel);

        try
        {
            await publish.Publish(message, c => c.MessageId = trackingId, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "{Kind} {TrackingId} is recorded but could not be published now; the sweeper will publish it", kind, trackingId);
        }
        return new Accepted(trackingId, episodeId, Duplicate: false);
    }

    /// <summary>The tracking id of a message sent with an idempotency key (HTTP <c>Idempotency-Key</c>, AMQP <c>message_id</c>); <paramref name="kind"/> is the contract's name.</summary>
    public static Guid TrackingIdFor(Agency agency, string kind, string idempotencyKey)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{agency}/{kind}/{idempotencyKey}"), hash);
        return new Guid(hash[..16]);
    }
}
