using System.Text;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Ingress.Referrals;
using IntegrationHub.Persistence;
using IntegrationHub.Testing;
using IntegrationHub.Tests;
using IntegrationHub.Tests.Lifecycle;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// PAT-01 sees every concern whatever the channel: concerns pushed to the agencies' AMQP queues are routed in-process,
/// and must reach the pattern index as those posted over HTTP do.
/// </summary>
[Collection(RealServices.Name)]
[Trait("Category", "Integration")]
public sealed class When_concerns_over_AMQP_name_the_same_car(RabbitMqFixture rabbit) : IAsyncLifetime, IDisposable
{
    private HubFactory _hub = null!;

    public async Task InitializeAsync()
    {
        await rabbit.Node.ImportDefinitionsAsync(Path.Combine(RealHub.RepositoryRoot(), "deploy", "rabbitmq", "definitions.json"));
        _hub = new HubFactory(RealHub.Settings(rabbit.Node));
        _ = _hub.CreateClient();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _hub?.Dispose();

    private async Task<Guid> PublishAsync(string agency, string child, string vrm)
    {
        var user = $"agency-{agency}";
        var messageId = $"pat-{Guid.NewGuid()}";
        await using var connection = await rabbit.Node.ConnectAsAsync(user);
        await AgencyAmqp.PublishAsync(connection, agency, "Concern", Encoding.UTF8.GetBytes(LifecycleMessages.ConcernNamingVehicle(child, vrm)), messageId, user);
        return ConcernIntake.TrackingIdFor(Enum.Parse<Agency>(agency, ignoreCase: true), messageId);
    }

    [Fact]
    public async Task Should_raise_one_pattern_alert_to_MARP_and_police()
    {
        // A plate no other test uses, written two ways (PAT-01 normalises it).
        var plate = $"Q{Random.Shared.Next(10, 99)} {(char)('A' + Random.Shared.Next(26))}{(char)('A' + Random.Shared.Next(26))}Z";
        var first = await PublishAsync("police", $"LA-AMQP-{Guid.NewGuid():N}"[..20], plate);
        var second = await PublishAsync("education", $"LA-AMQP-{Guid.NewGuid():N}"[..20], plate.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant());
        await _hub.ClientFor("police").WaitForDecisionAsync(first);
        await _hub.ClientFor("education").WaitForDecisionAsync(second);

        var alerts = await LifecycleMessages.EventuallyAsync(async () =>
        {
            await using var db = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
            return await db.Deliveries.AsNoTracking()
                .Where(d => d.MessageKind == "PatternOfConcernDetected" && (d.TrackingId == first || d.TrackingId == second)).ToListAsync();
        }, l => l.Count == 2 && l.All(d => d.SentAt != null), "the pattern alert from two AMQP concerns");

        Assert.Equal(["marp.cases", "police.intelligence"], alerts.Select(a => a.Queue).Order());
    }
}
