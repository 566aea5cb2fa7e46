using IntegrationHub.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Tests.Operations;

public sealed class When_retention_passes : IDisposable
{
    private readonly HubFactory _hub = new(new Dictionary<string, string?>
    {
        // Concerns are kept for a millisecond here, so everything decided is past its retention at once.
        ["Hub:Retention:Kinds:ConcernRaised"] = "00:00:00.001",
    });

    private long DatabaseBytes()
    {
        var path = Path.Combine(_hub.DataDirectory, "integrationhub.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            checkpoint.ExecuteNonQuery();
        }
        return new FileInfo(path).Length + (File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0);
    }

    [Fact]
    public async Task Should_purge_content_keep_a_tombstone_and_shrink_the_sqlite_file()
    {
        var police = _hub.ClientFor("police");
        var longNarrative = string.Join(' ', Enumerable.Repeat(TestConcerns.Narrative, 250));
        var ids = new List<Guid>();
        for (var i = 0; i < 40; i++)
            ids.Add(await police.PostConcernAsync(TestConcerns.PoliceConcern().Replace(TestConcerns.Narrative, longNarrative)));
        foreach (var id in ids) await police.WaitForDecisionAsync(id);
        var before = DatabaseBytes();

        var purged = await _hub.ClientAsUser("admin").PostJsonAsync("/api/v1/operations/retention/purge");
        Assert.Equal(40, purged.GetProperty("messages").GetInt32());
        Assert.True(purged.GetProperty("vacuumed").GetBoolean());
        var after = DatabaseBytes();
        Assert.True(after < before / 2, $"The database should shrink after purge and vacuum: {before} bytes before, {after} after.");

        var factory = _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var tombstone = await db.Messages.AsNoTracking().SingleAsync(m => m.TrackingId == ids[0]);
        Assert.NotNull(tombstone.PurgedAt);
        Assert.Equal("", tombstone.Payload);
        Assert.Equal("Police", tombstone.Agency);
        Assert.False(await db.Deliveries.AnyAsync(d => d.Payload.Contains(TestConcerns.NhsNumber)));
        // The decision and the audit trail remain: what was decided and why, without the content.
        Assert.Equal("Decided", (await police.WaitForDecisionAsync(ids[0])).GetProperty("status").GetString());
        Assert.True(await db.Audit.AnyAsync(a => a.Event == "ContentPurged" && a.Actor == "admin (admin)"));
    }

    [Fact]
    public async Task Should_refuse_the_purge_to_anyone_but_an_admin()
    {
        using var response = await _hub.ClientAsUser("supervisor").PostAsync("/api/v1/operations/retention/purge", null);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
    }

    public void Dispose() => _hub.Dispose();
}
