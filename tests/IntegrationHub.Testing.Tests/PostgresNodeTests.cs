using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace IntegrationHub.Testing.Tests;

[Trait("Category", "Infrastructure")]
[Collection(PostgresFixture.Collection)]
public sealed class PostgresNodeTests(PostgresFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Default_database_accepts_password_connections_on_loopback()
    {
        output.WriteLine(fixture.Node.ToString());
        Assert.NotEqual(5432, fixture.Node.Port);
        await using var conn = new NpgsqlConnection(fixture.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT current_setting('listen_addresses')", conn);
        Assert.Equal("127.0.0.1", await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Row_survives_stop_start_and_kill_start()
    {
        var cs = await fixture.CreateDatabaseAsync("outage");
        await Exec(cs, "CREATE TABLE concern (id int PRIMARY KEY, note text NOT NULL)");
        await Exec(cs, "INSERT INTO concern VALUES (1, 'synthetic')");

        await fixture.Node.StopAsync();
        Assert.False(fixture.Node.IsRunning);
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => Exec(cs, "SELECT 1"));
        await fixture.Node.StartAsync();
        Assert.Equal("synthetic", await Scalar(cs, "SELECT note FROM concern WHERE id = 1"));

        await Exec(cs, "INSERT INTO concern VALUES (2, 'after restart')");
        await fixture.Node.KillAsync();
        Assert.False(fixture.Node.IsRunning);
        await fixture.Node.StartAsync();
        Assert.Equal(2L, await Scalar(cs, "SELECT count(*) FROM concern"));
    }

    private static async Task Exec(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<object?> Scalar(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync();
    }
}
