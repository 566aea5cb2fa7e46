using System.Threading.Channels;

namespace IntegrationHub.Persistence;

/// <summary>
/// Group commit: callers on many threads each hand over one unit of work and wait; a few writer loops take whatever
/// has queued up (up to <c>maxBatch</c>) and commit it in one transaction, so one round trip and one disk flush serve
/// many messages. A caller's task completes only after its work is durable, exactly as if it had committed alone.
/// <para>
/// If a batch fails with an error the batch itself may have caused (<c>isPerItem</c>: a unique key taken
/// by a duplicate, say), each item is committed again on its own so one bad item cannot fail the others. Any other
/// error (the database is down) fails every item in the batch, and each caller's own retry policy takes over.
/// </para>
/// </summary>
public sealed class GroupCommit<TItem, TResult> : IAsyncDisposable
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    private readonly Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> _commit;
    private readonly Func<Exception, bool> _isPerItem;
    private readonly int _maxBatch;
    private readonly Action<int, TimeSpan>? _committed;
    private readonly WriteGate? _gate;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task[] _writers;

    /// <param name="commit">Commits a batch in one transaction and returns one result per item, in order.</param>
    /// <param name="isPerItem">True for an error one item can cause (then the items are committed one by one).</param>
    /// <param name="maxBatch">The most items in one transaction.</param>
    /// <param name="writers">Batches committed at once: while one waits for the disk, the next is being built.</param>
    /// <param name="committed">Told the size of each batch committed and how long the commit took (for metrics).</param>
    /// <param name="gate">A turn is taken around each commit, where writers must take turns (SQLite).</param>
    public GroupCommit(Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> commit,
        Func<Exception, bool> isPerItem, int maxBatch, int writers, Action<int, TimeSpan>? committed = null, WriteGate? gate = null)
    {
        _gate = gate;
        _committed = committed;
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(writers, 1);
        _commit = commit;
        _isPerItem = isPerItem;
        _maxBatch = maxBatch;
        _writers = [.. Enumerable.Range(0, writers).Select(_ => Task.Run(WriteAsync))];
    }

    /// <summary>Queues <paramref name="item"/> and completes when it is committed (or its batch has failed).</summary>
    public Task<TResult> CommitAsync(TItem item, CancellationToken cancellationToken)
    {
        var pending = new Pending(item, cancellationToken);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);
        // Giving up the wait does not withdraw the work: it may still commit, which the callers' idempotence allows.
        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteAsync()
    {
        var batch = new List<Pending>(_maxBatch);
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_stopping.Token))
            {
                batch.Clear();
                while (batch.Count < _maxBatch && reader.TryRead(out var pending))
                {
                    if (pending.CancellationToken.IsCancellationRequested) pending.Completion.TrySetCanceled(pending.CancellationToken);
                    else batch.Add(pending);
                }
                if (batch.Count > 0) await CommitAsync(batch);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        while (reader.TryRead(out var left)) left.Completion.TrySetCanceled();
    }

    private async Task CommitAsync(List<Pending> batch)
    {
        WriteGate.Turn turn;
        try
        {
            turn = _gate is null ? default : await _gate.TakeTurnAsync(_stopping.Token);
        }
        catch (OperationCanceledException)
        {
            foreach (var pending in batch) pending.Completion.TrySetCanceled();
            return;
        }
        using (turn) await CommitCoreAsync(batch);
    }

    private async Task CommitCoreAsync(List<Pending> batch)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var results = await _commit([.. batch.Select(p => p.Item)], _stopping.Token);
            _committed?.Invoke(batch.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            for (var i = 0; i < batch.Count; i++) batch[i].Completion.TrySetResult(results[i]);
        }
        catch (Exception ex) when (batch.Count > 1 && _isPerItem(ex))
        {
            foreach (var pending in batch)
            {
                try
                {
                    started = System.Diagnostics.Stopwatch.GetTimestamp();
                    var result = await _commit([pending.Item], _stopping.Token);
                    _committed?.Invoke(1, System.Diagnostics.Stopwatch.GetElapsedTime(started));
                    pending.Completion.TrySetResult(result[0]);
                }
                catch (Exception one)
                {
                    pending.Completion.TrySetException(one);
                }
            }
        }
        catch (Exception ex)
        {
            foreach (var pending in batch) pending.Completion.TrySetException(ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // What is queued is still committed (its callers are waiting), for a few seconds at most.
        _queue.Writer.TryComplete();
        var writers = Task.WhenAll(_writers);
        if (await Task.WhenAny(writers, Task.Delay(TimeSpan.FromSeconds(10))) != writers) await _stopping.CancelAsync();
        await writers.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private sealed class Pending(TItem item, CancellationToken cancellationToken)
    {
        public TItem Item { get; } = item;
        public CancellationToken CancellationToken { get; } = cancellationToken;
        public TaskCompletionSource<TResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
