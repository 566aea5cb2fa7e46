using System.Text.Json.Nodes;
using IntegrationHub.Persistence;
using IntegrationHub.Persistence.Lifecycle;
using IntegrationHub.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// On PostgreSQL the group commits write their new rows with binary COPY (<see cref="CopyInserts"/>) instead of Entity
/// Framework's INSERTs. The rows must come out as Entity Framework would have written them, and a key taken twice must
/// fail the whole transaction the way Entity Framework reports it.
/// </summary>
[Collection(RealServices.Name)]
[Trait("Category", "Integration")]
public sealed class When_a_group_commit_copies_its_rows_into_PostgreSQL(PostgresFixture postgres)
{
    private static readonly DateTimeOffset At = new(2026, 11, 27, 9, 30, 15, 123, TimeSpan.Zero);

    private static HubDbContext Open(string connectionString) =>
        new PostgresContexts(connectionString).CreateDbContext();

    /// <summary>One of each row a decision's group commit adds; <paramref name="n"/> makes the keys differ.</summary>
    private static void AddDecisionRows(HubDbContext db, Guid trackingId, int n)
    {
        db.Messages.Add(new MessageRecord
        {
            TrackingId = trackingId, Agency = "Police", Kind = "ConcernRaised", Channel = "amqp", ReceivedAt = At,
            Status = MessageStatus.Decided, Payload = """{"narrative":"é ✓ \"quoted\""}""", ChildKey = "child-1", DecidedAt = At.AddSeconds(1),
        });
        db.Decisions.Add(new DecisionRecord { TrackingId = trackingId, Revision = 1, DecidedAt = At, ProtocolVersion = "2026-11", Decision = "{}", RuleIds = "POL-01 IS-01" });
        db.Deliveries.Add(new DeliveryRecord
        {
            DeliveryId = Guid.Parse($"00000000-0000-0000-0000-00000000000{n}"), TrackingId = trackingId, Recipient = "Mash", Queue = "mash.referrals",
            CreatedAt = At, Payload = "{}", MessageKind = "ConcernShared",
        });
        db.Deadlines.Add(new DeadlineRecord
        {
            Id = Guid.Parse($"00000000-0000-0000-0000-00000000010{n}"), Kind = "MashDecision", TrackingId = trackingId, Owner = "MASH", RuleId = "POL-01",
            StartedAt = At, DueAt = At.AddDays(1), NextEscalationAt = At.AddDays(1), State = DeadlineState.Overdue, EscalationLevel = 2,
        });
        db.Audit.Add(new AuditEntry { At = At, TrackingId = null, Event = "Decided", Actor = "router", Detail = "rules POL-01" });
        db.Inbox.Add(new InboxRecord { MessageId = trackingId, Consumer = "route-concern", ProcessedAt = At });
        db.PatternMentions.Add(new PatternMention { KeyKind = "Vehicle", Key = $"AB1{n}CDE", ChildKey = "child-1", TrackingId = trackingId, Agency = "Police", At = At });
    }

    /// <summary>Each table's row for <paramref name="trackingId"/>, as PostgreSQL stores it, without the columns that are keys.</summary>
    private static async Task<Dictionary<string, string>> RowsAsync(string connectionString, Guid trackingId)
    {
        string[] keys = ["TrackingId", "Id", "DeliveryId", "MessageId", "Key"];
        var rows = new Dictionary<string, string>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var (table, where) in new[]
                 {
                     ("messages", "\"TrackingId\""), ("decisions", "\"TrackingId\""), ("deliveries", "\"TrackingId\""), ("deadlines", "\"TrackingId\""),
                     ("inbox", "\"MessageId\""), ("pattern_mentions", "\"TrackingId\""),
                 })
        {
            await using var command = new NpgsqlCommand($"SELECT row_to_json(t)::text FROM {table} t WHERE {where} = @id", connection);
            command.Parameters.AddWithValue("id", trackingId);
            var json = JsonNode.Parse((string)(await command.ExecuteScalarAsync() ?? throw new Xunit.Sdk.XunitException($"no {table} row")))!.AsObject();
            foreach (var key in keys) json.Remove(key);
            rows[table] = json.ToJsonString();
        }
        return rows;
    }

    [Fact]
    public async Task Should_store_the_rows_as_SaveChanges_would()
    {
        var database = await postgres.CreateDatabaseAsync("copy");
        await using (var db = Open(database)) await db.Database.EnsureCreatedAsync();
        Guid byEf = Guid.NewGuid(), byCopy = Guid.NewGuid();

        await using (var db = Open(database))
        {
            AddDecisionRows(db, byEf, 1);
            await db.SaveChangesAsync();
        }
        await using (var db = Open(database))
        {
            AddDecisionRows(db, byCopy, 2);
            // An update in the same save still goes through SaveChanges, in the same transaction.
            var earlier = await db.Messages.SingleAsync(m => m.TrackingId == byEf);
            earlier.ChildKey = "child-2";
            await db.SaveChangesCopyingInsertsAsync(CancellationToken.None);
            Assert.DoesNotContain(db.ChangeTracker.Entries(), e => e.State != EntityState.Unchanged);
        }

        var expected = await RowsAsync(database, byEf);
        var copied = await RowsAsync(database, byCopy);
        Assert.Equal(expected["messages"].Replace("child-2", "child-1", StringComparison.Ordinal), copied["messages"]);
        foreach (var table in expected.Keys.Where(t => t != "messages")) Assert.Equal(expected[table], copied[table]);
        await using (var db = Open(database))
        {
            Assert.Equal("child-2", (await db.Messages.SingleAsync(m => m.TrackingId == byEf)).ChildKey);
            // The identity columns were left to the database.
            var audit = await db.Audit.OrderBy(a => a.Id).Select(a => a.Id).ToListAsync();
            Assert.Equal(2, audit.Count);
            Assert.True(audit[1] > audit[0]);
        }
    }

    [Fact]
    public async Task Should_fail_the_whole_transaction_on_a_key_taken_twice_as_SaveChanges_does()
    {
        var database = await postgres.CreateDatabaseAsync("copydup");
        await using (var db = Open(database)) await db.Database.EnsureCreatedAsync();
        await using (var db = Open(database))
        {
            AddDecisionRows(db, Guid.NewGuid(), 1);
            await db.SaveChangesCopyingInsertsAsync(CancellationToken.None);
        }

        var second = Guid.NewGuid();
        await using (var db = Open(database))
        {
            AddDecisionRows(db, second, 1); // the same delivery id, deadline id and mention key as the first
            var ex = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesCopyingInsertsAsync(CancellationToken.None));
            Assert.IsType<PostgresException>(ex.InnerException);
        }

        await using (var db = Open(database))
        {
            // The rows copied before the collision went back with it.
            Assert.False(await db.Messages.AnyAsync(m => m.TrackingId == second));
            Assert.False(await db.Decisions.AnyAsync(d => d.TrackingId == second));
            Assert.Equal(1, await db.Deliveries.CountAsync());
        }
    }
}
