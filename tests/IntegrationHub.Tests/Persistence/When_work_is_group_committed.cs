using IntegrationHub.Persistence;

namespace IntegrationHub.Tests.Persistence;

/// <summary>The group commit behind the router: many callers, few transactions, and each caller told only its own outcome.</summary>
public sealed class When_work_is_group_committed
{
    /// <summary>A "database" that records each batch and, until released, holds the first one open (as a slow disk would).</summary>
    private sealed class Recorder
    {
        public readonly List<int[]> Batches = [];
        public readonly TaskCompletionSource FirstHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource Release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Func<int, Exception?> Fails { get; set; } = _ => null;

        public async Task<IReadOnlyList<string>> CommitAsync(IReadOnlyList<int> items, CancellationToken ct)
        {
            lock (Batches) Batches.Add([.. items]);
            if (FirstHeld.TrySetResult()) await Release.Task.WaitAsync(ct);
            foreach (var item in items)
                if (Fails(item) is { } error) throw error;
            return [.. items.Select(i => $"done {i}")];
        }
    }

    [Fact]
    public async Task Should_commit_what_queued_behind_a_slow_commit_in_one_batch_and_answer_each_caller()
    {
        var db = new Recorder();
        var committed = new List<int>();
        await using var group = new GroupCommit<int, string>(db.CommitAsync, _ => false, maxBatch: 100, writers: 1,
            committed: (n, _) => { lock (committed) committed.Add(n); });

        var first = group.CommitAsync(0, CancellationToken.None);
        await db.FirstHeld.Task;
        var queued = Enumerable.Range(1, 50).Select(i => group.CommitAsync(i, CancellationToken.None)).ToList();
        Assert.All(queued, t => Assert.False(t.IsCompleted)); // nobody is answered before their work is committed
        db.Release.SetResult();

        Assert.Equal("done 0", await first);
        for (var i = 0; i < queued.Count; i++) Assert.Equal($"done {i + 1}", await queued[i]);
        Assert.Equal([[0], [.. Enumerable.Range(1, 50)]], db.Batches);
        Assert.Equal([1, 50], committed); // what the hub.commit.* metrics are told
    }

    [Fact]
    public async Task Should_split_a_batch_at_max_size()
    {
        var db = new Recorder();
        await using var group = new GroupCommit<int, string>(db.CommitAsync, _ => false, maxBatch: 20, writers: 1);
        var first = group.CommitAsync(0, CancellationToken.None);
        await db.FirstHeld.Task;
        var queued = Enumerable.Range(1, 50).Select(i => group.CommitAsync(i, CancellationToken.None)).ToList();
        db.Release.SetResult();
        await Task.WhenAll(queued.Append(first));

        Assert.Equal([1, 20, 20, 10], db.Batches.Select(b => b.Length));
    }

    [Fact]
    public async Task Should_commit_the_others_one_by_one_when_one_item_breaks_its_batch()
    {
        var db = new Recorder { Fails = i => i == 7 ? new InvalidDataException("item 7 collides") : null };
        await using var group = new GroupCommit<int, string>(db.CommitAsync, ex => ex is InvalidDataException, maxBatch: 100, writers: 1);
        var first = group.CommitAsync(0, CancellationToken.None);
        await db.FirstHeld.Task;
        var queued = Enumerable.Range(1, 10).Select(i => group.CommitAsync(i, CancellationToken.None)).ToList();
        db.Release.SetResult();

        await first;
        for (var i = 1; i <= 10; i++)
        {
            if (i == 7) Assert.Equal("item 7 collides", (await Assert.ThrowsAsync<InvalidDataException>(() => queued[i - 1])).Message);
            else Assert.Equal($"done {i}", await queued[i - 1]);
        }
        // The failed batch of ten, then each of the ten alone.
        Assert.Equal([1, 10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], db.Batches.Select(b => b.Length));
    }

    [Fact]
    public async Task Should_fail_every_caller_in_the_batch_when_the_database_fails()
    {
        var db = new Recorder();
        await using var group = new GroupCommit<int, string>(db.CommitAsync, ex => ex is InvalidDataException, maxBatch: 100, writers: 1);
        var first = group.CommitAsync(0, CancellationToken.None);
        await db.FirstHeld.Task;
        db.Fails = _ => new TimeoutException("database unavailable");
        var queued = Enumerable.Range(1, 5).Select(i => group.CommitAsync(i, CancellationToken.None)).ToList();
        db.Release.SetResult();

        await Assert.ThrowsAsync<TimeoutException>(() => first);
        foreach (var task in queued) await Assert.ThrowsAsync<TimeoutException>(() => task);
        Assert.Equal(2, db.Batches.Count); // not retried item by item: that is the callers' retry policy's job
    }

    [Fact]
    public async Task Should_still_commit_what_is_queued_when_disposed()
    {
        var db = new Recorder();
        var group = new GroupCommit<int, string>(db.CommitAsync, _ => false, maxBatch: 100, writers: 2);
        var first = group.CommitAsync(0, CancellationToken.None);
        await db.FirstHeld.Task;
        var queued = Enumerable.Range(1, 5).Select(i => group.CommitAsync(i, CancellationToken.None)).ToList();
        var disposing = group.DisposeAsync().AsTask();
        db.Release.SetResult();
        await disposing;

        Assert.Equal("done 0", await first);
        foreach (var task in queued) Assert.StartsWith("done", await task, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => group.CommitAsync(99, CancellationToken.None));
    }
}
