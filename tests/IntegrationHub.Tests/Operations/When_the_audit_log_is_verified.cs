using IntegrationHub.Persistence;
using IntegrationHub.Persistence.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Tests.Operations;

public sealed class When_the_audit_log_is_verified : IDisposable
{
    private readonly HubFactory _hub = new();

    [Fact]
    public async Task Should_report_an_intact_chain_covering_every_event_of_a_concern()
    {
        var police = _hub.ClientFor("police");
        var trackingId = await police.PostConcernAsync(TestConcerns.PoliceConcern());
        await police.WaitForDecisionAsync(trackingId);
        var ops = _hub.ClientFor("operations");

        var verified = await ops.PostJsonAsync("/api/v1/operations/audit/verify");
        Assert.True(verified.GetProperty("intact").GetBoolean(), verified.ToString());
        Assert.True(verified.GetProperty("sealed").GetInt64() >= 3);

        var audit = await ops.GetJsonAsync($"/api/v1/operations/audit?trackingId={trackingId}");
        var events = audit.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("event").GetString()).ToList();
        Assert.Equal(["Received", "Decided", "Delivered"], events.Distinct());
    }

    [Fact]
    public async Task Should_name_the_first_entry_that_was_changed_after_it_was_written()
    {
        var police = _hub.ClientFor("police");
        var trackingId = await police.PostConcernAsync(TestConcerns.PoliceConcern());
        await police.WaitForDecisionAsync(trackingId);
        await police.WaitForDecisionAsync(await police.PostConcernAsync(TestConcerns.PoliceConcern()));
        var ops = _hub.ClientFor("operations");
        Assert.True((await ops.PostJsonAsync("/api/v1/operations/audit/verify")).GetProperty("intact").GetBoolean());

        var factory = _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>();
        long tampered;
        await using (var db = await factory.CreateDbContextAsync())
        {
            var entry = await db.Audit.Where(a => a.TrackingId == trackingId && a.Event == "Decided").SingleAsync();
            tampered = entry.Id;
            await db.Audit.Where(a => a.Id == entry.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Detail, "recipients none"));
        }

        var verified = await ops.PostJsonAsync("/api/v1/operations/audit/verify");
        Assert.False(verified.GetProperty("intact").GetBoolean());
        Assert.Equal(tampered, verified.GetProperty("brokenAtId").GetInt64());
        Assert.Contains("changed", verified.GetProperty("problem").GetString());
    }

    [Fact]
    public async Task Should_name_the_link_after_a_deleted_entry()
    {
        var police = _hub.ClientFor("police");
        await police.WaitForDecisionAsync(await police.PostConcernAsync(TestConcerns.PoliceConcern()));
        var ops = _hub.ClientFor("operations");
        Assert.True((await ops.PostJsonAsync("/api/v1/operations/audit/verify")).GetProperty("intact").GetBoolean());

        var factory = _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>();
        long next;
        await using (var db = await factory.CreateDbContextAsync())
        {
            var chain = await db.Audit.Where(a => a.ChainIndex != null).OrderBy(a => a.ChainIndex).Take(3).ToListAsync();
            await db.Audit.Where(a => a.Id == chain[1].Id).ExecuteDeleteAsync();
            next = chain[2].Id;
        }

        var verified = await ops.PostJsonAsync("/api/v1/operations/audit/verify");
        Assert.False(verified.GetProperty("intact").GetBoolean());
        Assert.Equal(next, verified.GetProperty("brokenAtId").GetInt64());
        Assert.Contains("deleted", verified.GetProperty("problem").GetString());
    }

    [Fact]
    public async Task Should_stay_intact_when_many_writers_and_sealers_run_at_once()
    {
        var factory = _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>();
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                await using var db = await factory.CreateDbContextAsync();
                db.Audit.Add(new AuditEntry { At = DateTimeOffset.UtcNow, Event = "Test", Actor = $"writer-{w}", Detail = $"entry {i}" });
                await db.SaveChangesAsync();
                if (i % 5 == 0) await AuditChain.SealAsync(factory, CancellationToken.None);
            }
        }));
        var sealers = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++) await AuditChain.SealAsync(factory, CancellationToken.None);
        }));
        await Task.WhenAll(writers.Concat(sealers));

        await AuditChain.SealAsync(factory, CancellationToken.None);
        await using var check = await factory.CreateDbContextAsync();
        var result = await AuditChain.VerifyAsync(check, CancellationToken.None);
        Assert.True(result.Intact, result.Summary);
        Assert.Equal(0, result.Unsealed);
        Assert.True(result.Sealed >= 200);
    }

    public void Dispose() => _hub.Dispose();
}
