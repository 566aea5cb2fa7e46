using System.Text;
using IntegrationHub.Ingress.Quarantine;
using IntegrationHub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Tests.Quarantine;

/// <summary>
/// A quarantine record and the rows that go with it (the notice to an agency's named lead about a refused decision not to
/// share) are one transaction: if either cannot be stored, neither is.
/// </summary>
public sealed class When_quarantine_is_kept_with_something_alongside : IDisposable
{
    private readonly HubFactory _hub = new();

    public void Dispose() => _hub.Dispose();

    private static DeliveryRecord Notice(Guid id, Guid quarantineId) => new()
    {
        DeliveryId = id, TrackingId = quarantineId, Recipient = "NamedLead:Education", Queue = "agency.education.feedback",
        MessageKind = "DecisionNotToShareRejected", CreatedAt = DateTimeOffset.UtcNow, Payload = "{}",
    };

    [Fact]
    public async Task Should_keep_both_or_neither()
    {
        var store = _hub.Services.GetRequiredService<QuarantineStore>();
        var factory = _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>();
        var body = Encoding.UTF8.GetBytes("{}");
        var taken = Guid.NewGuid();
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.Deliveries.Add(Notice(taken, Guid.NewGuid()));
            await db.SaveChangesAsync();
        }

        var kept = await store.AddAsync("Education", "http", null, "application/json", "record-incomplete", "test", body, body.Length,
            CancellationToken.None, (db, id) => db.Deliveries.Add(Notice(Guid.NewGuid(), id)));
        await Assert.ThrowsAnyAsync<DbUpdateException>(() => store.AddAsync("Education", "http", null, "application/json", "record-incomplete",
            "test", body, body.Length, CancellationToken.None, (db, id) => db.Deliveries.Add(Notice(taken, id)))); // the notice's id is taken

        await using var check = await factory.CreateDbContextAsync();
        var held = await check.Quarantine.AsNoTracking().Select(q => q.Id).ToListAsync();
        Assert.Equal([kept], held);
        Assert.Equal(1, await check.Deliveries.CountAsync(d => d.TrackingId == kept));
    }
}
