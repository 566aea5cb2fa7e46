using IntegrationHub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Lifecycle;

/// <summary>
/// One message's effects, once: the inbox check, the work, the outbox rows and the inbox mark in one transaction.
/// A collision (another consumer did it first, or a concurrent update of the same episode or key) is rethrown for
/// MassTransit's retry unless the inbox shows the message was handled.
/// </summary>
public sealed class Outbox(IDbContextFactory<HubDbContext> dbFactory, WriteGate gate, TimeProvider clock)
{
    public async Task<IReadOnlyList<DeliveryRecord>> OnceAsync(Guid messageId, Guid trackingId, string consumer,
        Func<HubDbContext, DateTimeOffset, Task<List<DeliveryRecord>>> work, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await HandledAsync(db, messageId, consumer, ct)) return await UnsentAsync(db, trackingId, ct);

        using var turn = await gate.TakeTurnAsync(ct);
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var deliveries = await work(db, now);
        db.Deliveries.AddRange(deliveries);
        db.Inbox.Add(new InboxRecord { MessageId = messageId, Consumer = consumer, ProcessedAt = now });
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            await using var fresh = await dbFactory.CreateDbContextAsync(ct);
            if (!await HandledAsync(fresh, messageId, consumer, ct)) throw;
            return await UnsentAsync(fresh, trackingId, ct);
        }
        return deliveries;
    }

    private static Task<bool> HandledAsync(HubDbContext db, Guid messageId, string consumer, CancellationToken ct) =>
        db.Inbox.AnyAsync(i => i.MessageId == messageId && i.Consumer == consumer, ct);

    private static async Task<IReadOnlyList<DeliveryRecord>> UnsentAsync(HubDbContext db, Guid trackingId, CancellationToken ct) =>
        await db.Deliveries.AsNoTracking().Where(d => d.TrackingId == trackingId && d.SentAt == null).ToListAsync(ct);
}
