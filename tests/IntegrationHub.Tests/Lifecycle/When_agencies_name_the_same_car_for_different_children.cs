using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Referrals;
using IntegrationHub.Persistence;
using IntegrationHub.Protocol;
using IntegrationHub.Routing.Referrals;
using IntegrationHub.Routing.Sharing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Tests.Lifecycle;

/// <summary>PAT-01 (handbook 10.1.4, 11.2): the hub sees what no single agency can.</summary>
public sealed class When_agencies_name_the_same_car_for_different_children : IDisposable
{
    private readonly HubFactory _hub = new();

    public void Dispose() => _hub.Dispose();

    private async Task<List<DeliveryRecord>> AlertsAsync()
    {
        await using var db = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        return await db.Deliveries.AsNoTracking().Where(d => d.MessageKind.StartsWith("PatternOfConcern")).OrderBy(d => d.CreatedAt).ToListAsync();
    }

    private async Task ConcernAsync(string agency, string child, string vrm)
    {
        var client = _hub.ClientFor(agency);
        var id = await client.PostConcernAsync(LifecycleMessages.ConcernNamingVehicle(child, vrm));
        await client.WaitForDecisionAsync(id);
    }

    private static async Task<List<DeliveryRecord>> SettledAsync(Func<Task<List<DeliveryRecord>>> read, int count) =>
        await LifecycleMessages.EventuallyAsync(read, l => l.Count >= count && l.All(d => d.SentAt != null), $"{count} pattern alerts");

    [Fact]
    public async Task Should_alert_MARP_and_police_once_then_update_when_a_third_child_joins()
    {
        await ConcernAsync("police", "LA-PAT-A", "AB12 CDE");
        await ConcernAsync("education", "LA-PAT-B", "ab12cde");
        var alerts = await SettledAsync(AlertsAsync, 2);
        Assert.Equal(["marp.cases", "police.intelligence"], alerts.Select(a => a.Queue).Order());
        Assert.All(alerts, a => Assert.Equal("PatternOfConcernDetected", a.MessageKind));
        var detected = JsonDocument.Parse(alerts[0].Payload).RootElement;
        Assert.Equal("Vehicle", detected.GetProperty("keyKind").GetString());
        Assert.Equal("AB12CDE", detected.GetProperty("key").GetString());
        Assert.Equal(2, detected.GetProperty("childKeys").GetArrayLength());
        Assert.Equal(["Education", "Police"], detected.GetProperty("agencies").EnumerateArray().Select(a => a.GetString()).Order());

        await ConcernAsync("health", "LA-PAT-C", "AB 12 CDE");
        alerts = await SettledAsync(AlertsAsync, 4);
        Assert.Equal(4, alerts.Count);
        var updates = alerts.Where(a => a.MessageKind == "PatternOfConcernUpdated").ToList();
        Assert.Equal(["marp.cases", "police.intelligence"], updates.Select(a => a.Queue).Order());
        var updated = JsonDocument.Parse(updates[0].Payload).RootElement;
        Assert.Equal(detected.GetProperty("patternId").GetGuid(), updated.GetProperty("patternId").GetGuid());
        Assert.Equal(2, updated.GetProperty("revision").GetInt32());
        Assert.Equal(3, updated.GetProperty("childKeys").GetArrayLength());
        Assert.Equal(1, updated.GetProperty("newChildKeys").GetArrayLength());

        // The same three children again: nothing new to say.
        await ConcernAsync("police", "LA-PAT-A", "AB12CDE");
        Assert.Equal(4, (await AlertsAsync()).Count);

        var patterns = await _hub.ClientFor("operations").GetFromJsonAsync<JsonElement>("/api/v1/patterns", ContractJson.Options);
        var pattern = Assert.Single(patterns.EnumerateArray());
        Assert.Equal(3, pattern.GetProperty("childKeys").GetArrayLength());
        Assert.DoesNotContain("AB12CDE", patterns.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("Testchild", patterns.GetRawText(), StringComparison.Ordinal);
        // The fingerprint is keyed with the hub's secret: a plain hash of a registration is reversed by hashing them all.
        var fingerprint = pattern.GetProperty("keyFingerprint").GetString()!;
        Assert.StartsWith("pk_", fingerprint);
        Assert.NotEqual("pk_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("Vehicle:AB12CDE"))[..8]), fingerprint);
        var console = await _hub.ClientFor("operations").GetFromJsonAsync<JsonElement>("/api/v1/operations/patterns", ContractJson.Options);
        Assert.Equal(fingerprint, console.GetProperty("patterns")[0].GetProperty("keyFingerprint").GetString());
    }

    /// <summary>
    /// Concerns decided in one group commit are indexed in one transaction (docs/decisions/0007): each must see the
    /// mentions of those before it in the group, or a pattern formed inside one group would be missed - even when the
    /// group's order is not the order of their decision times (a group takes concerns as they come), as here.
    /// </summary>
    [Fact]
    public async Task Should_see_the_concerns_before_it_in_the_same_group_of_decisions()
    {
        var index = Assert.Single(_hub.Services.GetServices<IDecisionIndex>());
        var protocol = _hub.Services.GetRequiredService<SharingProtocol>();
        var childKeys = _hub.Services.GetRequiredService<ChildKeys>();
        var now = DateTimeOffset.UtcNow;
        var drafts = new[] { ("LA-GRP-A", "EF56 GHJ", Agency.Police), ("LA-GRP-B", "ef56ghj", Agency.Education), ("LA-GRP-C", "EF 56 GHJ", Agency.Health) }
            .Select((x, i) =>
            {
                var decidedAt = now.AddMilliseconds(-4 * i); // each decided a moment before the one ahead of it in the group
                var concern = JsonSerializer.Deserialize<Concern>(LifecycleMessages.ConcernNamingVehicle(x.Item1, x.Item2), ContractJson.Options)!;
                var raised = new ConcernRaised { TrackingId = Guid.NewGuid(), Agency = x.Item3, ReceivedAt = decidedAt, Concern = concern with { Agency = x.Item3 } };
                return new DecisionDraft(raised, raised.TrackingId, protocol.Evaluate(raised, ProtocolContext.At(decidedAt)), childKeys.For(concern.Child), decidedAt, []);
            })
            .ToList();

        await using (var db = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync())
        {
            var alerts = await index.AddAsync(db, drafts, CancellationToken.None);
            Assert.Equal(3, alerts.Count);
            Assert.Empty(alerts[0]);
            Assert.Equal(["PatternOfConcernDetected", "PatternOfConcernDetected"], alerts[1].Select(a => a.MessageKind));
            Assert.Equal(["PatternOfConcernUpdated", "PatternOfConcernUpdated"], alerts[2].Select(a => a.MessageKind));
            Assert.All(alerts[2], a => Assert.Equal(drafts[2].Message.TrackingId, a.TrackingId));
            db.Deliveries.AddRange(alerts.SelectMany(a => a));
            await db.SaveChangesAsync();
        }

        await using var check = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        Assert.Equal(3, await check.PatternMentions.CountAsync(m => m.Key == "EF56GHJ"));
        var pattern = await check.Patterns.AsNoTracking().SingleAsync(p => p.Key == "EF56GHJ");
        Assert.Equal(2, pattern.Revision);
        Assert.Equal(3, pattern.ChildKeys.Split(' ').Length);
        Assert.Equal("Education Health Police", pattern.Agencies);
    }

    [Fact]
    public async Task Should_not_alert_when_one_child_is_named_twice()
    {
        await ConcernAsync("police", "LA-PAT-SOLO", "CD34 EFG");
        await ConcernAsync("education", "LA-PAT-SOLO", "cd34efg");
        var police = _hub.ClientFor("police");
        var accepted = await police.PostLifecycleAsync("/api/v1/missing-reports",
            LifecycleMessages.Missing("WI-PAT-SOLO", "LA-PAT-SOLO", DateTimeOffset.UtcNow, believedWithVehicle: "CD34EFG"));
        await police.WaitForDecisionAsync(accepted.TrackingId);

        await using var db = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        await LifecycleMessages.EventuallyAsync(() => db.PatternMentions.CountAsync(m => m.Key == "CD34EFG"), n => n == 3, "three mentions");
        Assert.Empty(await AlertsAsync());
        using var response = await _hub.ClientFor("police").GetAsync("/api/v1/patterns");
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
    }
}
