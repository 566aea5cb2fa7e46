using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;
using System.Text.RegularExpressions;
using IntegrationHub.Contracts.Referrals;
using IntegrationHub.Ingress.Quarantine;
using IntegrationHub.Operations.Failures;
using IntegrationHub.Operations.Security;
using IntegrationHub.Persistence;
using IntegrationHub.Persistence.Failures;
using IntegrationHub.Routing.Failures;
using IntegrationHub.Routing.Referrals;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Tests.Operations;

/// <summary>
/// Two operators (or a double click, or a group retry overlapping a single retry) act on one failure or one quarantined
/// input at once. One of them wins; the other changes nothing, routes nothing, publishes nothing and audits nothing, and
/// answers as for an item already handled. The second action is run at a chosen point of the first (between its read and
/// its change), so each interleaving is tested every time rather than by chance. Run on SQLite and, from the integration tests
/// (which link this file), on PostgreSQL.
/// </summary>
public abstract partial class When_two_operators_act_on_one_item_at_once : IAsyncLifetime, IDisposable
{
    private static readonly Operator Alice = new("alice", "operator");
    private static readonly Operator Bob = new("bob", "operator");

    private readonly MessagesReadHook _between = new();
    private readonly FailReplayedStatusSave _failStatus = new();
    private readonly Publishes _publishes = new();
    private HubFactory _hub = null!;

    /// <summary>Settings on top of the test defaults (the database).</summary>
    protected virtual Task<Dictionary<string, string?>> SettingsAsync() => Task.FromResult(new Dictionary<string, string?>());

    public async Task InitializeAsync()
    {
        var settings = await SettingsAsync();
        settings["Hub:Testing:FailRouting"] = "true";
        _hub = new HubFactory(settings, services: s => s.ConfigureDbContext<HubDbContext>(o => o.AddInterceptors(_between, _failStatus)));
        _hub.CreateClient().Dispose(); // starts the hub
        Switch.Override = false;
        _hub.Services.GetRequiredService<IBus>().ConnectPublishObserver(_publishes);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _hub?.Dispose();
        GC.SuppressFinalize(this);
    }

    private FailureActions Actions => _hub.Services.GetRequiredService<FailureActions>();
    private RoutingFaultSwitch Switch => _hub.Services.GetRequiredService<RoutingFaultSwitch>();

    [Fact]
    public async Task Should_not_route_a_quarantined_input_discarded_between_its_replays_read_and_its_claim()
    {
        var id = await QuarantineAsync();

        var replay = await _between.RunAsync(() => Actions.RetryAsync(id, Alice, "adapter fixed", confirmed: false, default),
            then: () => Actions.DiscardAsync(id, Bob, "sent again corrected", default));

        Assert.Equal("already Discarded", replay!.Result);
        Assert.Equal(QuarantineStatus.Discarded, (await QuarantinedAsync(id)).Status);
        Assert.Equal(["QuarantineDiscarded"], await QuarantineAuditAsync(id));
        Assert.Empty(_publishes.Concerns);
        Assert.False(await RoutedAsync(ReplayTrackingId(id)));
    }

    [Fact]
    public async Task Should_keep_a_quarantined_input_replayed_and_audited_once_when_a_discard_comes_while_it_is_routed()
    {
        var id = await QuarantineAsync();
        FailureOutcome? discard = null;
        _publishes.BeforeNextConcern(async () => discard = await Actions.DiscardAsync(id, Bob, "sent again corrected", default));

        var replay = await Actions.RetryAsync(id, Alice, "adapter fixed", confirmed: false, default);

        Assert.Equal("Retried", replay!.Result);
        Assert.Equal(QuarantineDiscard.ReplayUnfinishedOutcome, discard!.Result);
        var record = await QuarantinedAsync(id);
        Assert.Equal((QuarantineStatus.Replayed, replay.TrackingId), (record.Status, record.ReplayedAs));
        Assert.Equal(["QuarantineReplayed"], await QuarantineAuditAsync(id));
        Assert.Equal([replay.TrackingId!.Value], _publishes.Concerns);
    }

    [Fact]
    public async Task Should_route_a_quarantined_input_once_and_audit_it_once_when_two_replays_overlap()
    {
        var id = await QuarantineAsync();

        var first = await _between.RunAsync(() => Actions.RetryAsync(id, Alice, "adapter fixed", confirmed: false, default),
            then: async () => Assert.Equal("Retried", (await Actions.RetryAsync(id, Bob, "double click", confirmed: false, default))!.Result));

        Assert.Equal("already Replayed", first!.Result);
        Assert.Equal(["QuarantineReplayed"], await QuarantineAuditAsync(id));
        Assert.Equal([ReplayTrackingId(id)], _publishes.Concerns);
        Assert.Equal(QuarantineStatus.Replayed, (await QuarantinedAsync(id)).Status);
    }

    [Fact]
    public async Task Should_audit_a_replay_once_when_a_second_replay_claims_it_while_the_first_is_routing_it()
    {
        var id = await QuarantineAsync();
        FailureOutcome? second = null;
        _publishes.BeforeNextConcern(async () => second = await Actions.RetryAsync(id, Bob, "double click", confirmed: false, default));

        var first = await Actions.RetryAsync(id, Alice, "adapter fixed", confirmed: false, default);

        // Both claimed it and both accepted it under its one key; the second to mark it replayed is the one already handled.
        Assert.Equal(("Retried", "already Replayed"), (second!.Result, first!.Result));
        Assert.Equal(["QuarantineReplayed"], await QuarantineAuditAsync(id));
        Assert.Equal([ReplayTrackingId(id)], _publishes.Concerns);
        Assert.Equal(QuarantineStatus.Replayed, (await QuarantinedAsync(id)).Status);
    }

    [Fact]
    public async Task Should_keep_a_replay_whose_status_was_not_saved_from_being_discarded_and_finish_it_routing_once()
    {
        var id = await QuarantineAsync();

        _failStatus.Armed = true;
        await Assert.ThrowsAnyAsync<DbUpdateException>(() => Actions.RetryAsync(id, Alice, "adapter fixed", confirmed: false, default));
        var routed = ReplayTrackingId(id);
        Assert.True(await RoutedAsync(routed), "the input was accepted before its status could be saved");
        Assert.Equal((QuarantineStatus.Held, routed), ((await QuarantinedAsync(id)).Status, (await QuarantinedAsync(id)).ReplayedAs));

        var discard = await Actions.DiscardAsync(id, Bob, "looks stuck", default);
        var again = await Actions.RetryAsync(id, Bob, "finish it", confirmed: false, default);

        Assert.Equal(QuarantineDiscard.ReplayUnfinishedOutcome, discard!.Result);
        Assert.Equal(("Retried", routed), (again!.Result, again.TrackingId));
        Assert.Equal(QuarantineStatus.Replayed, (await QuarantinedAsync(id)).Status);
        Assert.Equal(["QuarantineReplayed"], await QuarantineAuditAsync(id));
        Assert.Equal([routed], _publishes.Concerns); // the second replay found it recorded under its key: published once
    }

    [Fact]
    public async Task Should_free_a_claimed_input_for_a_discard_when_its_replay_is_still_refused()
    {
        // Reads as a concern, but one that names another agency than the one that sent it: the intake refuses it after the claim.
        var id = await QuarantineAsync(body: "{ \"agency\": \"Health\"," + TestConcerns.PoliceConcern().TrimStart()[1..]);

        var replay = await Actions.RetryAsync(id, Alice, "adapter fixed", confirmed: false, default);
        var held = await QuarantinedAsync(id);
        var discard = await Actions.DiscardAsync(id, Bob, "sent by the wrong system", default);

        Assert.Equal("still refused (agency-mismatch); it stays in quarantine", replay!.Result);
        Assert.Equal((QuarantineStatus.Held, null), (held.Status, held.ReplayedAs));
        Assert.Equal("Discarded", discard!.Result);
        Assert.Equal(["QuarantineDiscarded"], await QuarantineAuditAsync(id));
        Assert.Empty(_publishes.Concerns);
    }

    [Fact]
    public async Task Should_publish_a_routing_failure_once_when_two_retries_overlap()
    {
        var (failureId, trackingId) = await RoutingFailureAsync();

        var first = await _between.RunAsync(() => Actions.RetryAsync(failureId, Alice, "fault cleared", confirmed: false, default),
            then: async () => Assert.Equal("Retried", (await Actions.RetryAsync(failureId, Bob, "double click", confirmed: false, default))!.Result));

        Assert.Equal("already Retried", first!.Result);
        Assert.Equal(["FailureRetried"], await FailureAuditAsync(trackingId));
        Assert.Equal([trackingId], _publishes.Redecided);
        Assert.Equal(FailureStatus.Retried, await FailureStatusAsync(failureId));
    }

    [Fact]
    public async Task Should_not_publish_a_routing_failure_discarded_between_its_retrys_read_and_its_claim()
    {
        var (failureId, trackingId) = await RoutingFailureAsync();

        var retry = await _between.RunAsync(() => Actions.RetryAsync(failureId, Alice, "fault cleared", confirmed: false, default),
            then: () => Actions.DiscardAsync(failureId, Bob, "sent again by the agency", default));

        Assert.Equal("already Discarded", retry!.Result);
        Assert.Equal(["FailureDiscarded"], await FailureAuditAsync(trackingId));
        Assert.Empty(_publishes.Redecided);
        Assert.Equal(FailureStatus.Discarded, await FailureStatusAsync(failureId));
    }

    [Fact]
    public async Task Should_leave_each_quarantined_input_either_replayed_and_routed_or_discarded_when_both_are_pressed_at_once()
    {
        var ids = new List<Guid>();
        // Each its own concern (its own sender reference), so that none is taken for a later copy of another.
        for (var i = 0; i < 8; i++) ids.Add(await QuarantineAsync($"PPD1-2026-{i + 100:0000}"));

        var outcomes = await Task.WhenAll(ids.Select(async id =>
        {
            var both = await Task.WhenAll(
                Task.Run(() => Actions.RetryAsync(id, Alice, "adapter fixed", confirmed: false, default)),
                Task.Run(() => Actions.DiscardAsync(id, Bob, "sent again corrected", default)));
            return (Id: id, Retry: both[0]!.Result, Discard: both[1]!.Result);
        }));

        foreach (var (id, retry, discard) in outcomes)
        {
            var status = (await QuarantinedAsync(id)).Status;
            var audit = await QuarantineAuditAsync(id);
            var routed = await RoutedAsync(ReplayTrackingId(id));
            var published = _publishes.Concerns.Count(t => t == ReplayTrackingId(id));
            var seen = $"{id}: retry {retry}, discard {discard}, {status}, audit [{string.Join(", ", audit)}], routed {routed}, published {published}";
            Assert.True(status is QuarantineStatus.Replayed or QuarantineStatus.Discarded, seen);
            Assert.True(status == QuarantineStatus.Replayed ? audit is ["QuarantineReplayed"] && routed && published == 1 : audit is ["QuarantineDiscarded"] && !routed && published == 0, seen);
            Assert.True(status == QuarantineStatus.Replayed ? retry == "Retried" && discard != "Discarded" : discard == "Discarded" && retry == "already Discarded", seen);
        }
    }

    /// <summary>A police concern refused by an older contract that the current one reads, kept as the hub keeps refusals.</summary>
    private async Task<Guid> QuarantineAsync(string senderReference = "PPD1-2026-0001", string? body = null)
    {
        var id = Guid.CreateVersion7();
        var bytes = Encoding.UTF8.GetBytes(body ?? TestConcerns.PoliceConcern().Replace("PPD1-2026-0001", senderReference, StringComparison.Ordinal));
        await using var db = await DbAsync();
        db.Quarantine.Add(new QuarantineRecord
        {
            Id = id, At = DateTimeOffset.UtcNow, Agency = "Police", Channel = "http", Kind = "Concern", ContentType = "application/json",
            Reason = "older contract", Body = bytes, BodyLength = bytes.Length,
        });
        await db.SaveChangesAsync();
        return id;
    }

    private static Guid ReplayTrackingId(Guid quarantineId) =>
        IntegrationHub.Ingress.Referrals.ConcernIntake.TrackingIdFor(IntegrationHub.Contracts.Common.Agency.Police, $"quarantine/{quarantineId}");

    /// <summary>A police concern the router gave up on, recorded as an open failure; routing works again afterwards.</summary>
    private async Task<(Guid FailureId, Guid TrackingId)> RoutingFailureAsync()
    {
        Switch.Override = true;
        var trackingId = await _hub.ClientFor("police").PostConcernAsync(TestConcerns.PoliceConcern());
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            await using (var db = await DbAsync())
            {
                if (await db.Set<FailureRecord>().AsNoTracking().FirstOrDefaultAsync(f => f.TrackingId == trackingId) is { } failure)
                {
                    Switch.Override = false;
                    return (failure.Id, trackingId);
                }
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The failure of {trackingId} was not recorded in time.");
            await Task.Delay(100);
        }
    }

    private async Task<HubDbContext> DbAsync() =>
        await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();

    private async Task<QuarantineRecord> QuarantinedAsync(Guid id)
    {
        await using var db = await DbAsync();
        return await db.Quarantine.AsNoTracking().SingleAsync(q => q.Id == id);
    }

    private async Task<FailureStatus> FailureStatusAsync(Guid id)
    {
        await using var db = await DbAsync();
        return await db.Set<FailureRecord>().AsNoTracking().Where(f => f.Id == id).Select(f => f.Status).SingleAsync();
    }

    private async Task<bool> RoutedAsync(Guid trackingId)
    {
        await using var db = await DbAsync();
        return await db.Messages.AnyAsync(m => m.TrackingId == trackingId);
    }

    /// <summary>The operators' audit entries about this quarantined input.</summary>
    private async Task<List<string>> QuarantineAuditAsync(Guid id)
    {
        await using var db = await DbAsync();
        var marker = $"quarantine {id}";
        return await db.Audit.AsNoTracking().Where(a => a.Event.StartsWith("Quarantine") && a.Detail.Contains(marker)).OrderBy(a => a.Id).Select(a => a.Event).ToListAsync();
    }

    /// <summary>The operators' audit entries about this routing failure.</summary>
    private async Task<List<string>> FailureAuditAsync(Guid trackingId)
    {
        await using var db = await DbAsync();
        return await db.Audit.AsNoTracking().Where(a => a.TrackingId == trackingId && (a.Event == "FailureRetried" || a.Event == "FailureDiscarded"))
            .OrderBy(a => a.Id).Select(a => a.Event).ToListAsync();
    }

    /// <summary>
    /// Runs a second action when the action under test first reads the messages table: after it has read the item it acts
    /// on, before it changes it (a routing retry reads the stored message; a replay looks for later copies). Only commands
    /// made by the action under test count (not the hub's background sweeps); the second action runs once, to its end.
    /// </summary>
    private sealed partial class MessagesReadHook : DbCommandInterceptor
    {
        /// <summary>SQLite's SQL quotes every table name; PostgreSQL's only those that need it.</summary>
        [GeneratedRegex("FROM \"?messages\"? ")]
        private static partial Regex MessagesTable();

        private static readonly AsyncLocal<bool> UnderTest = new();
        private Func<Task>? _then;

        public async Task<T> RunAsync<T>(Func<Task<T>> action, Func<Task> then)
        {
            _then = then;
            UnderTest.Value = true;
            var result = await action();
            Assert.Null(_then); // the second action ran
            return result;
        }

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (UnderTest.Value && MessagesTable().IsMatch(command.CommandText) && Interlocked.Exchange(ref _then, null) is { } then)
                await then();
            return result;
        }
    }

    /// <summary>While armed, fails the save of a replayed input's status (as a lost connection would), once.</summary>
    private sealed class FailReplayedStatusSave : SaveChangesInterceptor
    {
        public bool Armed { get; set; }

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
            CancellationToken cancellationToken = default)
        {
            if (Armed && eventData.Context!.ChangeTracker.Entries<AuditEntry>().Any(e => e.Entity.Event == "QuarantineReplayed"))
            {
                Armed = false;
                throw new DbUpdateException("Simulated: the connection was lost while the replayed status was saved.");
            }
            return ValueTask.FromResult(result);
        }
    }

    /// <summary>What the hub publishes: concerns (by tracking id), and those published to be decided again (an operator's retry).</summary>
    private sealed class Publishes : IPublishObserver
    {
        private readonly ConcurrentQueue<Guid> _concerns = new();
        private readonly ConcurrentQueue<Guid> _redecided = new();

        private Func<Task>? _beforeNextConcern;

        /// <summary>Runs <paramref name="then"/>, once, before the next concern is published (after it was recorded).</summary>
        public void BeforeNextConcern(Func<Task> then) => _beforeNextConcern = then;

        public IReadOnlyList<Guid> Concerns => [.. _concerns];
        public IReadOnlyList<Guid> Redecided => [.. _redecided];

        public async Task PrePublish<T>(PublishContext<T> context) where T : class
        {
            if (context.Message is ConcernRaised && Interlocked.Exchange(ref _beforeNextConcern, null) is { } then) await then();
        }

        public Task PostPublish<T>(PublishContext<T> context) where T : class
        {
            if (context.Message is ConcernRaised raised)
            {
                if (context.Headers.TryGetHeader(ConcernRouter.RedecideHeader, out _)) _redecided.Enqueue(raised.TrackingId);
                else _concerns.Enqueue(raised.TrackingId);
            }
            return Task.CompletedTask;
        }

        public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    }
}
