using System.Net.Sockets;
using IntegrationHub.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace IntegrationHub.Tests.Persistence;

/// <summary>
/// What the hub holds for (decision 0015): the database unreachable or not taking work. What it does not: a failure of
/// the message's own, or contention that the ordinary retry settles.
/// </summary>
public sealed class When_a_database_failure_is_told_from_an_outage
{
    private static PostgresException Server(string state) => new("message", "FATAL", "FATAL", state);

    public static TheoryData<string, Exception> Outages => new()
    {
        { "connection refused", new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused)) },
        { "stream broken mid-write", new NpgsqlException("Exception while writing to stream", new IOException("Broken pipe")) },
        { "command or pool timeout", new NpgsqlException("The operation has timed out", new TimeoutException()) },
        { "wrapped by Entity Framework", new DbUpdateException("An error occurred while saving the entity changes.", new NpgsqlException("Exception while reading from stream", new IOException("EOF"))) },
        { "server shutting down (57P01)", Server("57P01") },
        { "server starting up (57P03)", Server("57P03") },
        { "connection failure (08006)", Server("08006") },
        { "too many connections (53300)", Server("53300") },
        { "disk full (53100)", Server("53100") },
        { "password changed (28P01)", Server("28P01") },
        { "no such database (3D000)", Server("3D000") },
    };

    public static TheoryData<string, Exception> NotOutages => new()
    {
        { "unique violation (23505)", new DbUpdateException("dup", Server("23505")) },
        { "value too long (22001)", Server("22001") },
        { "serialisation failure (40001)", Server("40001") },
        { "deadlock (40P01)", Server("40P01") },
        { "lock not available (55P03)", Server("55P03") },
        { "a bug of the hub's", new InvalidOperationException("Sequence contains no elements") },
        { "an I/O error that is not the database's", new IOException("disk") },
    };

    [Theory]
    [MemberData(nameof(Outages))]
    public void Should_hold_for(string what, Exception exception) => Assert.True(StoreOutage.Is(exception), what);

    [Theory]
    [MemberData(nameof(NotOutages))]
    public void Should_not_hold_for(string what, Exception exception) => Assert.False(StoreOutage.Is(exception), what);
}
