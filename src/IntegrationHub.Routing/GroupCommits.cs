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
    /// <param name="oneWriter">
    /// One group at a time, whatever the configuration: for groups that would otherwise collide with each other (the
    /// decisions, whose pattern index rows serialise every group naming the same key), where a collision costs a
    /// retry of every item one by one.
    /// </param>
    public GroupCommit<TItem, TResult> Create<TItem, TResult>(string what,
        Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> commit, Func<Exception, bool> isPerItem, bool oneWriter = false)
    {
        var db = options.Value;
        return new GroupCommit<TItem, TResult>(commit, isPerItem, db.GroupCommitMaxBatch,
            db.Provider == DatabaseProvider.Sqlite || oneWriter ? 1 : db.GroupCommitWriters, (n, t) => metrics.GroupCommitted(what, n, t), gate);
    }
}
