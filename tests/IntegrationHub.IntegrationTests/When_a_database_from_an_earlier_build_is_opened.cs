using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Persistence;
using IntegrationHub.Testing;
using IntegrationHub.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// EnsureCreated never alters an existing schema (docs/decisions/0003): a nullable column added since is added at start
/// on PostgreSQL too, so a database an earlier build created keeps working and keeps what it holds.
/// </summary>
[Collection(RealServices.Name)]
[Trait("Category", "Integration")]
public sealed class When_a_database_from_an_earlier_build_is_opened(PostgresFixture postgres)
{
    [Fact]
    public async Task Should_add_the_missing_column_and_keep_the_rows()
    {
        var database = await postgres.CreateDatabaseAsync("earlier");
        var settings = RealHub.Settings(rabbit: null, database);
        using (var first = new HubFactory(settings))
        {
            using (await first.ClientFor("education").PostAsync("/api/v1/concerns",
                       new StringContent("{\"child\": {}}", System.Text.Encoding.UTF8, "application/json"))) { }
            await using var db = await first.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE quarantine DROP COLUMN \"Kind\"");
        }

        using var second = new HubFactory(settings);
        using (await second.ClientFor("education").PostAsync("/api/v1/concerns",
                   new StringContent("{\"child\": {}}", System.Text.Encoding.UTF8, "application/json"))) { }

        var items = (await second.ClientFor("operations").GetFromJsonAsync<JsonElement>("/api/v1/quarantine")).GetProperty("items");
        Assert.Equal(2, items.GetArrayLength());
        Assert.Equal("Concern", items[0].GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, items[1].GetProperty("kind").ValueKind);
    }
}
