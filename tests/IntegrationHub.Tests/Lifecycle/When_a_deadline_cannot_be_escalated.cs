using System.Collections.Concurrent;
using System.Text.Json;
using IntegrationHub.Lifecycle.Deadlines;
using IntegrationHub.Persistence;
using IntegrationHub.Persistence.Lifecycle;
using IntegrationHub.Protocol;
using IntegrationHub.Routing.Recovery;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Tests.Lifecycle;

/// <summary>
/// The sweep takes overdue clocks oldest first. Before, one clock it could not escalate (here its escalation fails to be
/// written) failed the whole sweep: every clock behind it in the batch went unescalated, every sweep, for as long as that
/// row was there. Each clock is now escalated on its own; the one that fails is named by ids and exception type only and
/// tried again at the next sweep.
/// </summary>
public sealed class When_a_deadline_cannot_be_escalated : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 12, 0, 0, TimeSpan.Zero);
    /// <summary>Stands for personal data in an exception's message: it must never reach the log.</summary>
    private const string PersonalData = "Testchild Escalation-Failure";
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly FailEscalationOf _failure = new();
    private readonly HubFactory _hub;

    public When_a_deadline_cannot_be_escalated() =>
        _hub = new HubFactory(
            // The test sweeps by hand; the background sweeper would race it.
            HubFactory.WithHourlyBackgroundLoops(new Dictionary<string, string?> { ["Hub:Lifecycle:SweeperEnabled"] = "false" }),
            services: s =>
            {
                s.AddSingleton<TimeProvider>(_clock);
                s.ConfigureDbContext<HubDbContext>(o => o.AddInterceptors(_failure));
            });

    public void Dispose() => _hub.Dispose();

    private Task<int> SweepAsync() => _hub.Services.GetRequiredService<DeadlineSweeper>().SweepAsync(CancellationToken.None);

    /// <summary>Three MASH-decision clocks overdue by 3, 2 and 1 hours: the sweep takes them in that order.</summary>
    private async Task<DeadlineRecord[]> ThreeOverdueClocksAsync()
    {
        var clocks = new[] { 3, 2, 1 }.Select(hours => new DeadlineRecord
        {
            Id = Guid.NewGuid(), Kind = DeadlineKinds.MashDecision, TrackingId = Guid.NewGuid(), Owner = Owners.Mash, RuleId = "F93-01",
            StartedAt = Start.AddDays(-1).AddHours(-hours), DueAt = Start.AddHours(-hours), NextEscalationAt = Start.AddHours(-hours),
        }).ToArray();
        await using var db = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        db.Deadlines.AddRange(clocks);
        await db.SaveChangesAsync();
        return clocks;
    }

    private async Task<(int Level, bool Escalated, bool Sent)> StateOfAsync(DeadlineRecord clock)
    {
        await using var db = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        var level = await db.Deadlines.Where(d => d.Id == clock.Id).Select(d => d.EscalationLevel).SingleAsync();
        var escalation = await db.DeadlineEscalations.AsNoTracking().SingleOrDefaultAsync(e => e.DeadlineId == clock.Id && e.Level == 1);
        var sent = escalation is not null && await db.Deliveries.AnyAsync(d => d.DeliveryId == escalation.DeliveryId && d.SentAt != null);
        return (level, escalation is not null, sent);
    }

    [Fact]
    public async Task Should_escalate_the_clocks_behind_it_and_name_it_by_its_ids_only()
    {
        var clocks = await ThreeOverdueClocksAsync();
        var (bad, second, third) = (clocks[0], clocks[1], clocks[2]);
        _failure.Fail(bad.Id, new JsonException($"'{PersonalData}' could not be read (simulated)."));

        var escalated = await SweepAsync();

        Assert.Equal(2, escalated);
        Assert.Equal((1, true, true), await StateOfAsync(second));
        Assert.Equal((1, true, true), await StateOfAsync(third));
        Assert.Equal((0, false, false), await StateOfAsync(bad)); // its claim was rolled back with the rest
        Assert.Contains(_hub.Logs, l => l.Contains($"Deadline {bad.Id} ({bad.TrackingId}) could not be escalated (JsonException); it is tried again at the next sweep",
            StringComparison.Ordinal));
        Assert.DoesNotContain(_hub.Logs, l => l.Contains(PersonalData, StringComparison.Ordinal));

        _failure.Clear();
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await SweepAsync());
        Assert.Equal((1, true, true), await StateOfAsync(bad));
    }

    [Fact]
    public async Task Should_say_so_when_a_write_was_lost_with_no_escalation_on_record_and_make_it_at_the_next_sweep()
    {
        var clocks = await ThreeOverdueClocksAsync();
        var lost = clocks[0];
        // A connection lost mid-write: Entity Framework reports it as a DbUpdateException, as it does a duplicate key.
        _failure.Fail(lost.Id, new DbUpdateException("An error occurred while saving the entity changes.",
            new IOException("Unable to write data to the transport connection (simulated).")), times: 1);

        Assert.Equal(2, await SweepAsync());
        Assert.Equal((0, false, false), await StateOfAsync(lost));
        Assert.Contains(_hub.Logs, l => l.StartsWith("Warning ", StringComparison.Ordinal) && l.Contains(
            $"Deadline {lost.Id} ({lost.TrackingId}): escalation level 1 was not stored (DbUpdateException); it is tried again at the next sweep",
            StringComparison.Ordinal));
        Assert.DoesNotContain(_hub.Logs, l => l.Contains("simulated", StringComparison.Ordinal));

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await SweepAsync());
        Assert.Equal((1, true, true), await StateOfAsync(lost));
    }

    [Fact]
    public async Task Should_take_an_escalation_already_on_record_for_the_race_it_is_and_say_nothing()
    {
        var clocks = await ThreeOverdueClocksAsync();
        var made = clocks[0];
        await using (var db = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync())
        {
            // Level 1 is on record, as another instance leaves it: this sweep's insert of the same key fails.
            db.DeadlineEscalations.Add(new DeadlineEscalationRecord
            {
                DeadlineId = made.Id, Level = 1, At = Start, EscalatedTo = "SocialWorker", DeliveryId = Guid.NewGuid(), ClaimedBy = "another instance",
            });
            await db.SaveChangesAsync();
        }

        Assert.Equal(2, await SweepAsync());
        Assert.Equal((1, true, true), await StateOfAsync(clocks[1]));
        Assert.DoesNotContain(_hub.Logs, l => l.Contains($"Deadline {made.Id}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_take_an_episode_changed_under_it_for_a_race_and_make_the_escalation_at_the_next_sweep()
    {
        var clocks = await ThreeOverdueClocksAsync();
        var raced = clocks[0];
        _failure.Fail(raced.Id, new DbUpdateConcurrencyException("The database operation was expected to affect 1 row(s) (simulated)."), times: 1);

        Assert.Equal(2, await SweepAsync());
        Assert.Contains(_hub.Logs, l => l.StartsWith("Information ", StringComparison.Ordinal) && l.Contains(
            $"Deadline {raced.Id} ({raced.TrackingId}): its episode changed while escalation level 1 was written", StringComparison.Ordinal));
        Assert.DoesNotContain(_hub.Logs, l => l.StartsWith("Warning ", StringComparison.Ordinal) && l.Contains($"Deadline {raced.Id}", StringComparison.Ordinal));

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await SweepAsync());
        Assert.Equal((1, true, true), await StateOfAsync(raced));
    }

    [Fact]
    public async Task Should_fail_the_sweep_in_a_database_outage_rather_than_log_each_clock_behind_it()
    {
        var clocks = await ThreeOverdueClocksAsync();
        // What Npgsql raises when PostgreSQL goes away mid-write: an outage (StoreOutage.Is), which fails every clock alike.
        _failure.Fail(clocks[0].Id, new DbUpdateException("An error occurred while saving the entity changes.",
            new Npgsql.NpgsqlException("Exception while writing to stream (simulated)", new IOException("Connection reset (simulated)."))), times: 1);

        await Assert.ThrowsAsync<DbUpdateException>(SweepAsync);
        Assert.DoesNotContain(_hub.Logs, l => l.Contains("could not be escalated", StringComparison.Ordinal) || l.Contains("was not stored", StringComparison.Ordinal));

        // The database is back: the next sweep makes all three.
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(3, await SweepAsync());
        foreach (var clock in clocks) Assert.Equal((1, true, true), await StateOfAsync(clock));
    }

    [Fact]
    public async Task Should_leave_an_escalation_whose_send_failed_to_the_stalled_work_sweeper()
    {
        var clock = (await ThreeOverdueClocksAsync())[0];
        Assert.Equal(3, await SweepAsync());
        await using var db = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        var deliveryId = await db.DeadlineEscalations.Where(e => e.DeadlineId == clock.Id).Select(e => e.DeliveryId).SingleAsync();
        // As a send that failed after the commit leaves it: the escalation made, its outbox row not sent.
        await db.Deliveries.Where(d => d.DeliveryId == deliveryId).ExecuteUpdateAsync(s => s.SetProperty(d => d.SentAt, (DateTimeOffset?)null));

        _clock.Advance(TimeSpan.FromMinutes(2)); // past Hub:Recovery:StalledAfter (1 minute)
        var (_, resent) = await _hub.Services.GetRequiredService<StalledWorkSweeper>().SweepAsync(CancellationToken.None);

        Assert.Equal(1, resent);
        Assert.NotNull(await db.Deliveries.Where(d => d.DeliveryId == deliveryId).Select(d => d.SentAt).SingleAsync());
    }

    /// <summary>Fails the save of an escalation of the chosen clocks, as often as asked.</summary>
    private sealed class FailEscalationOf : SaveChangesInterceptor
    {
        private readonly ConcurrentDictionary<Guid, (Exception Error, int Times)> _failing = new();

        public void Fail(Guid deadlineId, Exception error, int times = int.MaxValue) => _failing[deadlineId] = (error, times);

        public void Clear() => _failing.Clear();

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
            CancellationToken cancellationToken = default)
        {
            foreach (var entry in eventData.Context!.ChangeTracker.Entries<DeadlineEscalationRecord>().Where(e => e.State == EntityState.Added))
            {
                if (_failing.TryGetValue(entry.Entity.DeadlineId, out var failing) && failing.Times > 0)
                {
                    _failing[entry.Entity.DeadlineId] = (failing.Error, failing.Times - 1);
                    throw failing.Error;
                }
            }
            return base.SavingChangesAsync(eventData, result, cancellationToken);
        }
    }
}
