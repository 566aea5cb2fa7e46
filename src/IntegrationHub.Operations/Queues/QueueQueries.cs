using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Ingress.Amqp;
using IntegrationHub.Persistence;
using IntegrationHub.Persistence.Failures;
using IntegrationHub.Routing.Messaging;
using IntegrationHub.Routing.Referrals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Operations.Queues;

/// <param name="IsError">A dead-letter queue: <c>_error</c> (failed or refused) or <c>_skipped</c> (nothing consumed it).</param>
/// <param name="Messages">Messages waiting.</param>
/// <param name="InRate">Messages per second arriving (RabbitMQ), or per minute sent over the last five minutes (embedded).</param>
public sealed record QueueRow(string Name, bool IsError, long Messages, int? Consumers, double? InRate, double? OutRate)
{
    public static bool IsDeadLetter(string name) =>
        name.EndsWith("_error", StringComparison.Ordinal) || name.EndsWith("_skipped", StringComparison.Ordinal);
}

public sealed record QueueSnapshot(string Source, string RateUnit, IReadOnlyList<QueueRow> Queues, string? Problem);

/// <summary>
/// Depth, consumers and rates for every hub queue. On RabbitMQ they come from the management API; in the embedded mode
/// the in-memory bus keeps no counters, so the database's view is shown: what is owed to each queue and what went out.
/// </summary>
public sealed class QueueQueries(IOptions<MessagingOptions> messaging, IHttpClientFactory http, IDbContextFactory<HubDbContext> dbFactory, TimeProvider clock)
{
    public static IReadOnlyList<string> HubQueues { get; } =
        [RouteConcernConsumerDefinition.QueueName, RouteConcernConsumerDefinition.QueueName + "_error", .. RecipientQueues.All, .. RecipientQueues.AllFeedback];

    /// <summary>The queues each agency publishes into over AMQP, with their error queues: on RabbitMQ only.</summary>
    public static IReadOnlyList<string> AgencyQueues { get; } =
        [.. Enum.GetValues<Agency>().SelectMany(a => new[] { AgencyInboundConsumer.QueueFor(a), AgencyInboundConsumer.QueueFor(a) + "_error" })];

    public Task<QueueSnapshot> SnapshotAsync(CancellationToken ct) =>
        messaging.Value.Transport == TransportKind.RabbitMq ? FromRabbitAsync(ct) : FromDatabaseAsync(ct);

    /// <summary>The named HTTP client for the management API (its certificate check: <see cref="RabbitMqTls.ManagementValidatorFor"/>).</summary>
    public const string ManagementClient = "rabbitmq-management";

    private async Task<QueueSnapshot> FromRabbitAsync(CancellationToken ct)
    {
        var rabbit = messaging.Value.RabbitMq;
        var api = rabbit.ManagementBaseUri;
        JsonElement queues;
        try
        {
            using var client = http.CreateClient(ManagementClient);
            client.Timeout = TimeSpan.FromSeconds(5);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{rabbit.Username}:{rabbit.Password}")));
            queues = await client.GetFromJsonAsync<JsonElement>(
                new Uri(api, $"api/queues/{Uri.EscapeDataString(rabbit.VirtualHost)}?columns=name,messages,consumers,message_stats"), ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or IOException or CryptographicException)
        {
            // The address and the failure help whoever mends it; neither holds credentials or personal data.
            return new QueueSnapshot("RabbitMQ management API", "per second", [], $"The management API at {api} did not answer: {Describe(ex)}");
        }
        var byName = queues.EnumerateArray().ToDictionary(q => q.GetProperty("name").GetString()!, StringComparer.Ordinal);
        // What came in and waits (each agency's inbound queue), where it went, and every dead-letter queue, an agency's
        // _skipped included (a message nothing consumed), so nothing sits anywhere unseen.
        var names = HubQueues.Concat(AgencyQueues)
            .Concat(byName.Keys.Where(n => n.StartsWith("hub.", StringComparison.Ordinal) || n.StartsWith("agency.", StringComparison.Ordinal) || QueueRow.IsDeadLetter(n)))
            .Distinct().Order(StringComparer.Ordinal);
        var rows = names.Select(name =>
        {
            if (!byName.TryGetValue(name, out var q)) return new QueueRow(name, QueueRow.IsDeadLetter(name), 0, null, null, null);
            static double? Rate(JsonElement q, string stat) =>
                q.TryGetProperty("message_stats", out var s) && s.TryGetProperty(stat, out var d) && d.TryGetProperty("rate", out var r) ? r.GetDouble() : null;
            return new QueueRow(name, QueueRow.IsDeadLetter(name),
                q.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt64() : 0,
                q.TryGetProperty("consumers", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : null,
                Rate(q, "publish_details"), Rate(q, "deliver_get_details"));
        }).ToList();
        return new QueueSnapshot("RabbitMQ management API", "per second", rows, null);
    }

    /// <summary>The exception's type and message, and those of the innermost cause (a TLS failure sits under the HTTP one).</summary>
    private static string Describe(Exception ex)
    {
        var inner = ex;
        while (inner.InnerException is not null) inner = inner.InnerException;
        var what = $"{ex.GetType().Name}: {ex.Message}";
        return ReferenceEquals(inner, ex) ? what : $"{what} ({inner.GetType().Name}: {inner.Message})";
    }

    private async Task<QueueSnapshot> FromDatabaseAsync(CancellationToken ct)
    {
        var since = clock.GetUtcNow().AddMinutes(-5);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var failed = db.Set<FailureRecord>().Where(f => f.Status == FailureStatus.Open).Select(f => f.TrackingId);
        var waiting = await db.Messages.CountAsync(m => m.Status == MessageStatus.Received && !failed.Contains(m.TrackingId), ct);
        var errors = await failed.CountAsync(ct);
        var decidedRecently = await db.Messages.CountAsync(m => m.DecidedAt != null && m.DecidedAt >= since, ct);
        var receivedRecently = await db.Messages.CountAsync(m => m.ReceivedAt >= since, ct);
        var owed = await db.Deliveries.Where(d => d.SentAt == null).GroupBy(d => d.Queue).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var sent = await db.Deliveries.Where(d => d.SentAt != null && d.SentAt >= since).GroupBy(d => d.Queue).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var rows = HubQueues.Select(name => name switch
        {
            RouteConcernConsumerDefinition.QueueName => new QueueRow(name, false, waiting, 1, receivedRecently / 5.0, decidedRecently / 5.0),
            _ when name.EndsWith("_error", StringComparison.Ordinal) => new QueueRow(name, true, errors, 0, null, null),
            _ => new QueueRow(name, false, owed.FirstOrDefault(o => o.Key == name)?.Count ?? 0, null,
                (sent.FirstOrDefault(o => o.Key == name)?.Count ?? 0) / 5.0, null),
        }).ToList();
        return new QueueSnapshot("the hub's database (embedded in-memory bus: no broker counters)", "per minute, last 5 minutes", rows, null);
    }
}
