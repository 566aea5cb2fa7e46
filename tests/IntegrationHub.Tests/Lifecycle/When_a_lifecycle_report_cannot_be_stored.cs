using System.Net;
using System.Text;
using IntegrationHub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Tests.Lifecycle;

/// <summary>
/// A missing report sent with an <c>Idempotency-Key</c> (as every AMQP message is) whose write fails for a reason other than
/// "already kept" (here a connection lost mid-write) must fail for its sender. Answered as a duplicate, it would be
/// acknowledged and never stored: a child reported missing whom the hub never heard of.
/// </summary>
public sealed class When_a_lifecycle_report_cannot_be_stored : IDisposable
{
    private readonly FailFirstMissingReport _failure = new();
    private readonly HubFactory _hub;

    public When_a_lifecycle_report_cannot_be_stored()
    {
        _hub = new HubFactory(services: s => s.ConfigureDbContext<HubDbContext>(o => o.AddInterceptors(_failure)));
    }

    public void Dispose() => _hub.Dispose();

    [Fact]
    public async Task Should_fail_for_its_sender_and_be_kept_when_sent_again_with_the_same_key()
    {
        var police = _hub.ClientFor("police");
        var body = LifecycleMessages.Missing("WI-LOST-1", "LA-LOST-1", DateTimeOffset.UtcNow.AddHours(-2));

        using var first = await PostAsync(police, body, "police-case-4711");
        Assert.True(_failure.Failed, "the interceptor failed the first write");
        Assert.False(first.IsSuccessStatusCode, $"a report that was not stored was answered {(int)first.StatusCode}: {await first.Content.ReadAsStringAsync()}");
        await using (var db = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync())
            Assert.False(await db.Messages.AnyAsync(m => m.Kind == "ChildReportedMissing"));

        using var again = await PostAsync(police, body, "police-case-4711");
        var answer = await again.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Contains("\"Received\"", answer, StringComparison.Ordinal);
        await using (var db = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync())
            Assert.Equal(1, await db.Messages.CountAsync(m => m.Kind == "ChildReportedMissing"));
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string json, string idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/missing-reports")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await client.SendAsync(request);
    }

    /// <summary>Fails the first save of a missing report as Entity Framework reports a connection lost mid-write.</summary>
    private sealed class FailFirstMissingReport : SaveChangesInterceptor
    {
        private int _failed;

        public bool Failed => Volatile.Read(ref _failed) == 1;

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
            CancellationToken cancellationToken = default)
        {
            var adds = eventData.Context!.ChangeTracker.Entries<MessageRecord>().Any(e => e.State == EntityState.Added && e.Entity.Kind == "ChildReportedMissing");
            if (adds && Interlocked.CompareExchange(ref _failed, 1, 0) == 0)
                throw new DbUpdateException("An error occurred while saving the entity changes.", new IOException("Unable to write data to the transport connection (simulated)."));
            return base.SavingChangesAsync(eventData, result, cancellationToken);
        }
    }
}
