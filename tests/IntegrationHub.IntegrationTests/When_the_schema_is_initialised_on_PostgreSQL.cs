using IntegrationHub.Persistence;
using IntegrationHub.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// The deliveries table can keep room on each page for the sent-mark (docs/decisions/0011). <c>EnsureCreated</c> creates
/// tables only, so the start-up sets the fill factor itself: on a new database and on one an earlier hub created.
/// </summary>
[Collection(RealServices.Name)]
[Trait("Category", "Integration")]
public sealed class When_the_schema_is_initialised_on_PostgreSQL(PostgresFixture postgres)
{
    private static Task InitializeAsync(PostgresContexts factory, int? fillFactor = null)
    {
        var options = new DatabaseOptions { Provider = DatabaseProvider.Postgres };
        if (fillFactor is { } value) options.DeliveriesFillFactor = value;
        return new SchemaInitializer(factory, Options.Create(options), NullLogger<SchemaInitializer>.Instance).InitializeAsync(CancellationToken.None);
    }

    private static async Task<int> FillFactorAsync(PostgresContexts factory)
    {
        await using var db = factory.CreateDbContext();
        return await SchemaInitializer.DeliveriesFillFactorAsync(db, CancellationToken.None);
    }

    [Fact]
    public async Task Should_leave_PostgreSQL_s_fill_factor_by_default_and_set_the_one_configured()
    {
        var plain = new PostgresContexts(await postgres.CreateDatabaseAsync("schema"));
        var roomy = new PostgresContexts(await postgres.CreateDatabaseAsync("schema"));

        await InitializeAsync(plain);
        await InitializeAsync(roomy, fillFactor: 50);

        Assert.Equal(100, await FillFactorAsync(plain));
        Assert.Equal(50, await FillFactorAsync(roomy));
    }

    [Fact]
    public async Task Should_set_it_on_a_database_created_before_and_follow_the_setting()
    {
        var factory = new PostgresContexts(await postgres.CreateDatabaseAsync("schema"));
        await using (var db = factory.CreateDbContext())
        {
            await db.Database.EnsureCreatedAsync(); // as a hub before decision 0011 left it
            db.Deliveries.Add(new DeliveryRecord
            {
                DeliveryId = Guid.NewGuid(), TrackingId = Guid.NewGuid(), Recipient = "Mash", Queue = "mash.referrals",
                CreatedAt = DateTimeOffset.UtcNow, Payload = "{}",
            });
            await db.SaveChangesAsync();
        }
        Assert.Equal(100, await FillFactorAsync(factory));

        await InitializeAsync(factory, fillFactor: 50);
        Assert.Equal(50, await FillFactorAsync(factory));

        await InitializeAsync(factory, fillFactor: 60);
        Assert.Equal(60, await FillFactorAsync(factory));

        await InitializeAsync(factory, fillFactor: 60); // unchanged: nothing to alter
        Assert.Equal(60, await FillFactorAsync(factory));

        await InitializeAsync(factory); // back to the default
        Assert.Equal(100, await FillFactorAsync(factory));
        await using (var db = factory.CreateDbContext()) Assert.Equal(1, await db.Deliveries.CountAsync());
    }

    [Fact]
    public async Task Should_say_what_to_do_when_the_hub_may_not_change_the_table()
    {
        var database = await postgres.CreateDatabaseAsync("schema");
        var owner = new PostgresContexts(database);
        await InitializeAsync(owner);
        var role = $"hub_{Guid.NewGuid():N}"[..20];
        await using (var db = owner.CreateDbContext())
        {
            // A role that may use the tables but does not own them, as a hub run by a least-privilege account.
            var grant = "CREATE ROLE " + role + " LOGIN PASSWORD 'not-the-owner'; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + role;
            await db.Database.ExecuteSqlRawAsync(grant);
        }
        var notOwner = new PostgresContexts(new NpgsqlConnectionStringBuilder(database) { Username = role, Password = "not-the-owner" }.ConnectionString);

        await InitializeAsync(notOwner); // the default asks for no change
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => InitializeAsync(notOwner, fillFactor: 50));

        Assert.Contains("only the table's owner may change it", refused.Message);
        Assert.Contains("ALTER TABLE deliveries SET (fillfactor = 50)", refused.Message);
        Assert.Contains("set Hub:Database:DeliveriesFillFactor to 100", refused.Message);
        Assert.Equal(100, await FillFactorAsync(owner));
    }
}
