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

    /// <summary>
    /// messages.BodySha256 (the fingerprint a concern under a used Idempotency-Key is compared by) is added to an earlier
    /// database; a concern kept before it has none, so its key cannot be compared and a resend under it is a retry, as
    /// before. Concerns kept from then on are compared (written by COPY on PostgreSQL).
    /// </summary>
    [Fact]
    public async Task Should_add_the_body_fingerprint_and_compare_concerns_kept_from_then_on()
    {
        var database = await postgres.CreateDatabaseAsync("fingerprint");
        var settings = RealHub.Settings(rabbit: null, database);
        using (var first = new HubFactory(settings))
        {
            var police = first.ClientFor("police");
            await police.WaitForDecisionAsync(await TrackingIdAsync(await PostAsync(police, TestConcerns.PoliceConcern(), "earlier-1")));
            await using var db = await first.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE messages DROP COLUMN \"BodySha256\"");
        }

        using var second = new HubFactory(settings);
        var client = second.ClientFor("police");
        using var earlier = await PostAsync(client, TestConcerns.PoliceConcern(immediateRisk: true), "earlier-1");
        var trackingId = await TrackingIdAsync(await PostAsync(client, TestConcerns.PoliceConcern(), "later-1"));
        await client.WaitForDecisionAsync(trackingId);
        using var retry = await PostAsync(client, TestConcerns.PoliceConcern(), "later-1");
        using var reused = await PostAsync(client, TestConcerns.PoliceConcern(immediateRisk: true), "later-1");

        Assert.Equal("AlreadyReceived", (await earlier.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal("AlreadyReceived", (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(System.Net.HttpStatusCode.Conflict, reused.StatusCode);
        await using var check = await second.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        Assert.Equal(32, (await check.Messages.SingleAsync(m => m.TrackingId == trackingId)).BodySha256?.Length);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string json, string idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/concerns") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await client.SendAsync(request);
    }

    private static async Task<Guid> TrackingIdAsync(HttpResponseMessage response)
    {
        using (response) return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingId").GetGuid();
    }
}
