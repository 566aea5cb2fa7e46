using System.Net.Http.Json;
using IntegrationHub.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Tests.Operations;

public sealed class When_retention_passes : IDisposable
{
    private const string MarpKey = "test-marp-key-for-retention";
    private readonly HubFactory _hub = new(new Dictionary<string, string?>
    {
        // Concerns are kept for a millisecond here, so everything decided is past its retention at once.
        ["Hub:Retention:Kinds:ConcernRaised"] = "00:00:00.001",
        ["Hub:Recipients:marp:ApiKey"] = MarpKey,
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

    // Found by a review: the pattern index kept the keys drawn from a purged message (a person's name and date of birth,
    // a car) for ever, after its content was erased.
    [Fact]
    public async Task Should_take_the_purged_messages_out_of_the_pattern_index()
    {
        var police = _hub.ClientFor("police");
        var withCar = TestConcerns.PoliceConcern().Replace("\"immediateRisk\"",
            "\"personsOfConcern\": [ { \"name\": \"Unknown male\", \"ageYears\": 30, \"vehicles\": [ \"AB12 CDE\" ] } ], \"immediateRisk\"");
        var ids = new List<Guid> { await police.PostConcernAsync(withCar), await police.PostConcernAsync(withCar) };
        foreach (var id in ids) await police.WaitForDecisionAsync(id);
        var factory = _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            Assert.True(await db.PatternMentions.CountAsync(m => ids.Contains(m.TrackingId)) >= 2);
            Assert.True(await db.Patterns.AnyAsync(p => p.Key.Contains("AB12CDE")));
        }

        var purged = await _hub.ClientAsUser("admin").PostJsonAsync("/api/v1/operations/retention/purge");

        Assert.True(purged.GetProperty("patternMentions").GetInt32() >= 2);
        Assert.True(purged.GetProperty("patterns").GetInt32() >= 1);
        await using (var db = await factory.CreateDbContextAsync())
        {
            Assert.False(await db.PatternMentions.AnyAsync(m => ids.Contains(m.TrackingId)));
            Assert.False(await db.Patterns.AnyAsync(p => p.Key.Contains("AB12CDE")));
        }
    }

    [Fact]
    public async Task Should_take_the_childs_identity_off_the_MARP_review_list_when_the_missing_report_is_purged()
    {
        var factory = _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>();
        var trackingId = Guid.CreateVersion7();
        var eightYearsAgo = DateTimeOffset.UtcNow.AddYears(-8);
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.Messages.Add(new MessageRecord
            {
                TrackingId = trackingId, Agency = "Police", Kind = "ChildReportedMissing", Channel = "http", ReceivedAt = eightYearsAgo,
                Status = MessageStatus.Decided, DecidedAt = eightYearsAgo, Payload = "{\"child\":{\"givenName\":\"Testchild\"}}",
            });
            db.MarpReviewList.Add(new IntegrationHub.Persistence.Lifecycle.MarpReviewEntry
            {
                ChildKey = "key-of-the-child", Month = eightYearsAgo.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), AddedAt = eightYearsAgo,
                EpisodeCount = 3, TrackingId = trackingId, ChildIdentity = "{\"givenName\":\"Testchild\"}",
            });
            await db.SaveChangesAsync();
        }

        await _hub.ClientAsUser("admin").PostJsonAsync("/api/v1/operations/retention/purge");

        await using (var db = await factory.CreateDbContextAsync())
        {
            var entry = await db.MarpReviewList.AsNoTracking().SingleAsync(m => m.TrackingId == trackingId);
            Assert.Equal(("", "key-of-the-child", 3), (entry.ChildIdentity, entry.ChildKey, entry.EpisodeCount));
        }
        var marp = _hub.CreateClient();
        marp.DefaultRequestHeaders.Add("X-Api-Key", MarpKey);
        var list = await marp.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/marp/review-list?month={eightYearsAgo:yyyy-MM}");
        var child = Assert.Single(list.GetProperty("children").EnumerateArray());
        Assert.Equal("key-of-the-child", child.GetProperty("childKey").GetString());
        Assert.True(!child.TryGetProperty("child", out var identity) || identity.ValueKind == System.Text.Json.JsonValueKind.Null);
    }

    [Fact]
    public async Task Should_refuse_the_purge_to_anyone_but_an_admin()
    {
        using var response = await _hub.ClientAsUser("supervisor").PostAsync("/api/v1/operations/retention/purge", null);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
    }

    public void Dispose() => _hub.Dispose();
}
