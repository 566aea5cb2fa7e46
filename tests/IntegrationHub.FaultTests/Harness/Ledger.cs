using Npgsql;

namespace IntegrationHub.FaultTests.Harness;

/// <summary>What the hub's PostgreSQL store says: decisions per concern, deliveries staged and sent.</summary>
public sealed class Ledger(string connectionString)
{
    public sealed record Snapshot(int Decisions, int DecidedConcerns, int DuplicateDecisions, int Deliveries, int DeliveriesSent, HashSet<Guid> Decided, HashSet<Guid> DeliveryIds);

    /// <summary>Decisions counted, or null while the database cannot be reached.</summary>
    public async Task<int?> TryCountDecisionsAsync()
    {
        try
        {
            await using var conn = new NpgsqlConnection(connectionString);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT count(*) FROM decisions", conn);
            return Convert.ToInt32(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return null;
        }
    }

    /// <summary>Deliveries staged for every queue but <paramref name="queue"/>.</summary>
    public async Task<int> CountStagedExceptAsync(string queue)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""SELECT count(*) FROM deliveries WHERE "Queue" <> @queue""", conn);
        cmd.Parameters.AddWithValue("queue", queue);
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Which of these quarantine records are held, kept from AMQP (status 0 is Held).</summary>
    public async Task<HashSet<Guid>> HeldFromAmqpAsync(IReadOnlyCollection<Guid> ids)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""SELECT "Id" FROM quarantine WHERE "Id" = ANY(@ids) AND "Channel" = 'amqp' AND "Status" = 0""", conn);
        cmd.Parameters.AddWithValue("ids", ids.ToArray());
        var held = new HashSet<Guid>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) held.Add(reader.GetGuid(0));
        return held;
    }

    public async Task<Snapshot> ReadAsync()
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        var decided = new HashSet<Guid>();
        var decisions = 0;
        var duplicates = 0;
        await using (var cmd = new NpgsqlCommand("""SELECT "TrackingId", count(*) FROM decisions GROUP BY "TrackingId" """, conn))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var n = (int)reader.GetInt64(1);
                decided.Add(reader.GetGuid(0));
                decisions += n;
                duplicates += n - 1;
            }
        }
        var deliveryIds = new HashSet<Guid>();
        var sent = 0;
        await using (var cmd = new NpgsqlCommand("""SELECT "DeliveryId", "SentAt" IS NOT NULL FROM deliveries""", conn))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                deliveryIds.Add(reader.GetGuid(0));
                if (reader.GetBoolean(1)) sent++;
            }
        }
        return new Snapshot(decisions, decided.Count, duplicates, deliveryIds.Count, sent, decided, deliveryIds);
    }
}
