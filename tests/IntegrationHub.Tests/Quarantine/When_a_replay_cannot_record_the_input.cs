using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IntegrationHub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Tests.Quarantine;

/// <summary>
/// A replay claims the input before it accepts it, so that a discard cannot race it (decision 0017). If the accept then
/// fails before anything is recorded (here a connection lost mid-write), the claim is given back: the input stays held,
/// nothing was routed, and it can be discarded, or replayed again.
/// </summary>
public sealed class When_a_replay_cannot_record_the_input : IDisposable
{
    private readonly FailReplayReceipt _failure = new();
    private readonly HubFactory _hub;

    public When_a_replay_cannot_record_the_input()
    {
        _hub = new HubFactory(services: s => s.ConfigureDbContext<HubDbContext>(o => o.AddInterceptors(_failure)));
    }

    public void Dispose() => _hub.Dispose();

    [Fact]
    public async Task Should_stay_held_with_nothing_routed_and_be_discarded_when_asked()
    {
        var id = Guid.CreateVersion7();
        var body = Encoding.UTF8.GetBytes(TestConcerns.PoliceConcern());
        var ops = _hub.ClientFor("operations");
        await using (var db = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync())
        {
            db.Quarantine.Add(new QuarantineRecord
            {
                Id = id, At = DateTimeOffset.UtcNow, Agency = "Police", Channel = "http", Kind = "Concern", ContentType = "application/json",
                Reason = "older contract", Body = body, BodyLength = body.Length,
            });
            await db.SaveChangesAsync();
        }

        using var replay = await ops.PostAsync($"/api/v1/quarantine/{id}/replay", null);
        var afterReplay = await ItemAsync(ops, id);
        using var discard = await ops.PostAsJsonAsync($"/api/v1/quarantine/{id}/discard", new { reason = "sent again corrected" });

        Assert.True(_failure.Failed, "the interceptor failed the replay's write");
        Assert.False(replay.IsSuccessStatusCode, $"a replay that recorded nothing was answered {(int)replay.StatusCode}");
        Assert.Equal(("Held", JsonValueKind.Null), (afterReplay.GetProperty("status").GetString(), afterReplay.GetProperty("replayedAs").ValueKind));
        Assert.Equal(HttpStatusCode.NoContent, discard.StatusCode);
        Assert.Equal("Discarded", (await ItemAsync(ops, id)).GetProperty("status").GetString());
        await using (var db = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync())
            Assert.False(await db.Messages.AnyAsync(m => m.Channel == "replay"));
    }

    private static async Task<JsonElement> ItemAsync(HttpClient ops, Guid id) =>
        (await ops.GetFromJsonAsync<JsonElement>("/api/v1/quarantine")).GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetGuid() == id);

    /// <summary>Fails the first write of a replayed message as Entity Framework reports a connection lost mid-write.</summary>
    private sealed class FailReplayReceipt : SaveChangesInterceptor
    {
        private int _failed;

        public bool Failed => Volatile.Read(ref _failed) == 1;

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
            CancellationToken cancellationToken = default)
        {
            var adds = eventData.Context!.ChangeTracker.Entries<MessageRecord>().Any(e => e.State == EntityState.Added && e.Entity.Channel == "replay");
            if (adds && Interlocked.CompareExchange(ref _failed, 1, 0) == 0)
                throw new DbUpdateException("An error occurred while saving the entity changes.", new IOException("Unable to write data to the transport connection (simulated)."));
            return base.SavingChangesAsync(eventData, result, cancellationToken);
        }
    }
}
