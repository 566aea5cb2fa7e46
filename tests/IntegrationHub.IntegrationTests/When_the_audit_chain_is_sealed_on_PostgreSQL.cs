using IntegrationHub.Persistence;
using IntegrationHub.Persistence.Audit;
using IntegrationHub.Testing;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// On PostgreSQL the sealer writes a batch's links with one UPDATE over arrays, not Entity Framework's UPDATE per
/// entry. The chain it leaves must verify, continue across batches and runs, and still name an entry changed after.
/// </summary>
[Collection(RealServices.Name)]
[Trait("Category", "Integration")]
public sealed class When_the_audit_chain_is_sealed_on_PostgreSQL(PostgresFixture postgres)
{
    private static async Task AddEntriesAsync(PostgresContexts factory, int count, int from)
    {
        await using var db = factory.CreateDbContext();
        for (var i = from; i < from + count; i++)
        {
            db.Audit.Add(new AuditEntry
            {
                At = new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero).AddSeconds(i), TrackingId = i % 3 == 0 ? null : Guid.NewGuid(),
                Event = "Decided", Actor = "router", Detail = $"entry {i}",
            });
        }
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Should_chain_every_entry_in_id_order_across_batches_and_runs()
    {
        var factory = new PostgresContexts(await postgres.CreateDatabaseAsync("seal"));
        await using (var db = factory.CreateDbContext()) await db.Database.EnsureCreatedAsync();

        await AddEntriesAsync(factory, 25, 0);
        Assert.Equal(25, await AuditChain.SealAsync(factory, CancellationToken.None, batch: 10));
        await AddEntriesAsync(factory, 5, 25);
        Assert.Equal(5, await AuditChain.SealAsync(factory, CancellationToken.None, batch: 10));
        Assert.Equal(0, await AuditChain.SealAsync(factory, CancellationToken.None, batch: 10));

        await using (var db = factory.CreateDbContext())
        {
            var chain = await db.Audit.OrderBy(a => a.Id).ToListAsync();
            Assert.Equal(Enumerable.Range(1, 30).Select(i => (long?)i), chain.Select(a => a.ChainIndex));
            Assert.Equal(AuditChain.Genesis, chain[0].PreviousHash);
            for (var i = 1; i < chain.Count; i++) Assert.Equal(chain[i - 1].Hash, chain[i].PreviousHash);
            var verified = await AuditChain.VerifyAsync(db, CancellationToken.None);
            Assert.True(verified.Intact, verified.Summary);
            Assert.Equal(30, verified.Sealed);
            Assert.Equal(0, verified.Unsealed);
        }
    }

    [Fact]
    public async Task Should_still_name_an_entry_changed_after_it_was_sealed()
    {
        var factory = new PostgresContexts(await postgres.CreateDatabaseAsync("sealtamper"));
        await using (var db = factory.CreateDbContext()) await db.Database.EnsureCreatedAsync();
        await AddEntriesAsync(factory, 12, 0);
        await AuditChain.SealAsync(factory, CancellationToken.None, batch: 5);

        await using var tampering = factory.CreateDbContext();
        var victim = await tampering.Audit.OrderBy(a => a.Id).Skip(7).Select(a => a.Id).FirstAsync();
        await tampering.Audit.Where(a => a.Id == victim).ExecuteUpdateAsync(s => s.SetProperty(a => a.Detail, "entry changed"));

        var verified = await AuditChain.VerifyAsync(tampering, CancellationToken.None);
        Assert.False(verified.Intact);
        Assert.Equal(victim, verified.BrokenAtId);
        Assert.Equal(8, verified.BrokenAtIndex);
    }
}
