using IntegrationHub.Persistence;
using IntegrationHub.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Ingress.Quarantine;

/// <summary>Keeps refused input whole, so nothing an agency sent is lost: operations can see it and replay it.</summary>
public sealed class QuarantineStore(IDbContextFactory<HubDbContext> dbFactory, TimeProvider clock, HubMetrics metrics, ILogger<QuarantineStore> logger)
{
    /// <param name="alongside">Rows to commit in the same transaction as the quarantine record, given its id (e.g. the
    /// outbox row of a notice about it), so that neither is kept without the other.</param>
    /// <param name="sameInputId">The id this input always gets, for input that can be refused more than once (an AMQP
    /// message: <c>AgencyErrorFilter.QuarantineIdFor</c>): a record with it kept already is this input kept before, and
    /// it is not kept again. Null: a new id.</param>
    public async Task<Guid> AddAsync(string? agency, string channel, string? kind, string? contentType, string reasonCode, string reason, byte[] body, long bodyLength,
        CancellationToken ct, Action<HubDbContext, Guid>? alongside = null, Guid? sameInputId = null)
    {
        var id = sameInputId ?? Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (sameInputId is not null && await db.Quarantine.AnyAsync(q => q.Id == id, ct)) return KeptBefore(id, channel, reasonCode);
        db.Quarantine.Add(new QuarantineRecord
        {
            Id = id,
            At = now,
            Agency = agency,
            Channel = channel,
            Kind = kind is { Length: > 64 } ? kind[..64] : kind,
            ContentType = contentType is { Length: > 128 } ? contentType[..128] : contentType,
            Reason = StorableReason(reason),
            Body = body,
            BodyLength = (int)Math.Min(bodyLength, int.MaxValue),
        });
        db.Audit.Add(new AuditEntry
        {
            At = now, Event = "Quarantined", Actor = agency is null ? channel : $"agency:{agency.ToLowerInvariant()}",
            Detail = $"quarantine {id}: {reasonCode}",
        });
        alongside?.Invoke(db, id);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (sameInputId is not null)
        {
            // The same input kept at the same moment by another try (a redelivery taken by another instance): kept once.
            // Anything else is a real failure.
            await using var fresh = await dbFactory.CreateDbContextAsync(ct);
            if (!await fresh.Quarantine.AnyAsync(q => q.Id == id, ct)) throw;
            return KeptBefore(id, channel, reasonCode);
        }
        metrics.Quarantined(channel, reasonCode);
        logger.LogWarning("Refused {Channel} input from {Agency} kept in quarantine {QuarantineId}: {ReasonCode}", channel, agency ?? "unknown", id, reasonCode);
        return id;
    }

    private Guid KeptBefore(Guid id, string channel, string reasonCode)
    {
        logger.LogInformation("Refused {Channel} input ({ReasonCode}) was kept in quarantine {QuarantineId} before; it is not kept again", channel, reasonCode, id);
        return id;
    }

    /// <summary>At most 2,000 characters, never cut inside a surrogate pair, with no NUL (PostgreSQL's text cannot hold one).</summary>
    private static string StorableReason(string reason)
    {
        reason = reason.Replace('\0', '\uFFFD');
        if (reason.Length <= 2000) return reason;
        return char.IsHighSurrogate(reason[1999]) ? reason[..1999] : reason[..2000];
    }
}
