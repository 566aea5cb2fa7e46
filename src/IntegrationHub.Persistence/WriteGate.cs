using Microsoft.Extensions.Options;

namespace IntegrationHub.Persistence;

/// <summary>
/// SQLite lets one connection write at a time, and a writer that finds the database locked is put to sleep by the
/// driver (Microsoft.Data.Sqlite retries a busy statement after a pause) rather than queued. The hub's group commits
/// (receipts, decisions, sent-marks) and the lifecycle's transactions therefore take turns through this gate on SQLite,
/// so they queue in memory instead of sleeping on each other. On PostgreSQL there is no gate: concurrent transactions are what it is for.
/// </summary>
public sealed class WriteGate(IOptions<DatabaseOptions> options) : IDisposable
{
    private readonly SemaphoreSlim? _gate = options.Value.Provider == DatabaseProvider.Sqlite ? new SemaphoreSlim(1, 1) : null;

    /// <summary>Holds the gate (when there is one) until the returned handle is disposed.</summary>
    public async ValueTask<Turn> TakeTurnAsync(CancellationToken cancellationToken)
    {
        if (_gate is null) return default;
        await _gate.WaitAsync(cancellationToken);
        return new Turn(_gate);
    }

    public void Dispose() => _gate?.Dispose();

    /// <summary>A turn at writing; disposing it lets the next writer in.</summary>
    public readonly struct Turn(SemaphoreSlim? gate) : IDisposable
    {
        public void Dispose() => gate?.Release();
    }
}
