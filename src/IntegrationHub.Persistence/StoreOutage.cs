using Npgsql;

namespace IntegrationHub.Persistence;

/// <summary>
/// Tells a database outage (PostgreSQL stopped, restarting, unreachable, refusing connections, out of disk) from a
/// failure of one message's own (a constraint, a value the database refuses, a conflict with another writer). Work that
/// fails for an outage is held and tried again for as long as the outage lasts (decision 0015); nothing is
/// dead-lettered, quarantined or answered as done for it.
/// </summary>
public static class StoreOutage
{
    /// <summary>True when <paramref name="exception"/>, or one it wraps, says the database cannot be reached or cannot take work now.</summary>
    public static bool Is(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException postgres:
                    return IsOutageState(postgres.SqlState);
                case NpgsqlException npgsql when npgsql.IsTransient:
                    // Npgsql's own failures: the socket refused, reset or timed out, the pool exhausted.
                    return true;
            }
        }
        return false;
    }

    /// <summary>
    /// SQLSTATE classes of a server that is there but cannot take work: 08 connection exceptions, 28 authorisation (a
    /// password changed under the hub), 3D000 no such database, 53 insufficient resources (disk full, too many
    /// connections), 57P01–57P05 shut down or not yet up, 58 system errors (I/O). Not 40001/40P01 (serialisation,
    /// deadlock) or 55P03 (lock not available): those are contention, which the ordinary retry settles in moments.
    /// </summary>
    internal static bool IsOutageState(string state) =>
        state.StartsWith("08", StringComparison.Ordinal)
        || state.StartsWith("28", StringComparison.Ordinal)
        || state == "3D000"
        || state.StartsWith("53", StringComparison.Ordinal)
        || state.StartsWith("57P", StringComparison.Ordinal)
        || state.StartsWith("58", StringComparison.Ordinal);
}
