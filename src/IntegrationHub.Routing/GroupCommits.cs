using IntegrationHub.Persistence;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Routing;

/// <summary>
/// Makes the hub's group commits (docs/decisions/0006-group-commit.md) the same way everywhere: the configured batch
/// size, the configured writers on PostgreSQL but one on SQLite, turns through the <see cref="WriteGate"/>, and the
/// <c>hub.commit.*</c> metrics tagged with what is committed.
/// </summary>
public sealed class GroupCommits(IOptions<DatabaseOptions> options, WriteGate gate, HubMetrics metrics)
{
    /// <param name="what">Tags the metrics: receipts, decisions, sent-marks.</param>
    public GroupCommit<TItem, TResult> Create<TItem, TResult>(string what,
        Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> commit, Func<Exception, bool> isPerItem)
    {
        var db = options.Value;
        return new GroupCommit<TItem, TResult>(commit, isPerItem, db.GroupCommitMaxBatch,
            db.Provider == DatabaseProvider.Sqlite ? 1 : db.GroupCommitWriters, (n, t) => metrics.GroupCommitted(what, n, t), gate);
    }
}
