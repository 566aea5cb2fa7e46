using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Ingress.Referrals;
using IntegrationHub.Persistence;
using IntegrationHub.Routing;
using IntegrationHub.Testing;
using IntegrationHub.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Xunit.Abstractions;

namespace IntegrationHub.IntegrationTests;

/// <summary>
/// Over a thousand malformed messages on the agencies' inbound queues, mixed with good ones, from a plain AMQP client:
/// every malformed one is moved whole to <c>agency.&lt;agency&gt;.inbound_error</c> with its reason, none is lost, each is
/// counted as refused, every good one is decided, and the hub stays healthy.
/// </summary>
[Collection(RealServices.Name)]
[Trait("Category", "Integration")]
[Trait("Category", "Fuzz")]
public sealed class When_agency_queues_are_fuzzed(RabbitMqFixture rabbit, ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private const int FixedSeed = 20261129; // fixed so CI is repeatable; FUZZ_SEED=<n> replays a run, FUZZ_SEED=random explores
    private const int Malformed = 1_000;
    private const int GoodEvery = 16;
    private const string RunHeader = "x-fuzz-run";

    private static readonly string[] Agencies = ["health", "police", "education", "probation", "yot"];

    private static readonly Dictionary<string, (string Kind, string[] Structured, string? NhsNumber)> Shapes = new()
    {
        ["health"] = ("FhirBundle", ["entry", "type", "resourceType"], "999 000 0018"),
        ["police"] = ("Ppd1Notification", ["subject", "officer", "incident"], "9990000026"),
        ["education"] = ("DslConcern", ["pupil", "concern", "dsl"], null),
        ["probation"] = ("ProbationConcern", ["child", "officer", "lineManager"], null),
        ["yot"] = ("YotConcern", ["child", "worker", "manager"], "9990000034"),
    };

    public static readonly string[] Strategies =
    [
        "truncated", "wrong-type", "huge-string", "deep-nesting", "invalid-fhir", "bad-nhs-number", "unknown-type", "no-type",
        "missing-user-id", "another-agencys-kind", "binary-garbage", "large-body", "empty", "not-utf8", "not-an-object",
    ];

    private readonly string _run = Guid.NewGuid().ToString("N")[..12];
    private readonly ConcurrentDictionary<string, long> _refused = new();
    private HubFactory _hub = null!;
    private MeterListener? _listener;

    private static string Root => RealHub.RepositoryRoot();

    public async Task InitializeAsync()
    {
        await rabbit.Node.ImportDefinitionsAsync(Path.Combine(Root, "deploy", "rabbitmq", "definitions.json"));
        _hub = new HubFactory(RealHub.Settings(rabbit.Node));
        _ = _hub.CreateClient();

        // This hub's own meter only: other hubs in this process count their own refusals.
        var meter = _hub.Services.GetRequiredService<HubMetrics>().Meter;
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == "hub.inbound.refused") listener.EnableMeasurementEvents(instrument);
            },
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? channel = null, reason = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "channel") channel = tag.Value as string;
                if (tag.Key == "reason") reason = tag.Value as string;
            }
            if (channel == "amqp") _refused.AddOrUpdate(reason ?? "?", value, (_, v) => v + value);
        });
        _listener.Start();

        // Tests reset state before they run: error queues may hold what earlier tests left.
        await using var connection = await new ConnectionFactory { Uri = rabbit.AmqpUri }.CreateConnectionAsync();
        foreach (var agency in Agencies)
        {
            await using var channel = await connection.CreateChannelAsync();
            try { await channel.QueuePurgeAsync($"agency.{agency}.inbound_error"); }
            catch (OperationInterruptedException) { /* not declared until its first fault */ }
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _listener?.Dispose();
        _hub?.Dispose();
    }

    [Fact]
    public async Task Should_move_every_malformed_message_to_the_agency_error_queue_with_its_reason_and_decide_every_good_one()
    {
        var requested = Environment.GetEnvironmentVariable("FUZZ_SEED");
        var seed = requested == "random" ? Random.Shared.Next() : int.TryParse(requested, CultureInfo.InvariantCulture, out var replay) ? replay : FixedSeed;
        var random = new Random(seed);
        var examples = Agencies.ToDictionary(a => a, a => File.ReadAllText(Path.Combine(Root, "docs", "examples", a, Shapes[a].Kind + ".json")));
        var clock = Stopwatch.StartNew();

        var sentMalformed = new Dictionary<string, (string Agency, string Strategy)>();
        var good = new List<(string Agency, Guid TrackingId)>();
        var connections = new Dictionary<string, IConnection>();
        var channels = new Dictionary<string, IChannel>();
        foreach (var agency in Agencies)
        {
            connections[agency] = await rabbit.Node.ConnectAsAsync($"agency-{agency}");
            channels[agency] = await connections[agency].CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        }
        try
        {
            for (int n = 0, bad = 0; bad < Malformed; n++)
            {
                var agency = Agencies[random.Next(Agencies.Length)];
                var id = $"fuzz-{_run}-{n}";
                BasicProperties properties;
                byte[] body;
                if (n % GoodEvery == 0)
                {
                    properties = AgencyAmqp.Properties(Shapes[agency].Kind, id, $"agency-{agency}", agency == "health" ? "application/fhir+json" : "application/json");
                    body = Encoding.UTF8.GetBytes(examples[agency]);
                    good.Add((agency, ConcernIntake.TrackingIdFor(Enum.Parse<Agency>(agency, ignoreCase: true), id)));
                }
                else
                {
                    var strategy = Strategies[random.Next(Strategies.Length)];
                    (properties, body) = Mutate(strategy, agency, examples[agency], id, random);
                    sentMalformed[id] = (agency, strategy);
                    bad++;
                }
                properties.Headers = new Dictionary<string, object?> { [RunHeader] = _run };
                await channels[agency].BasicPublishAsync($"agency.{agency}.inbound", "", mandatory: false, properties, body);
            }
        }
        finally
        {
            foreach (var channel in channels.Values) await channel.DisposeAsync();
            foreach (var connection in connections.Values) await connection.DisposeAsync();
        }
        var published = clock.Elapsed;

        // Every malformed message reaches an error queue, and every good one is decided, within a bound.
        await using var admin = await new ConnectionFactory { Uri = rabbit.AmqpUri }.CreateConnectionAsync();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        long inErrorQueues = 0, decided = 0;
        var goodIds = good.Select(g => g.TrackingId).ToList();
        while (DateTime.UtcNow < deadline)
        {
            inErrorQueues = 0;
            foreach (var agency in Agencies) inErrorQueues += await AgencyAmqp.DepthAsync(admin, $"agency.{agency}.inbound_error");
            decided = await DecidedAsync(goodIds);
            if (inErrorQueues >= Malformed && decided == good.Count) break;
            await Task.Delay(250);
        }

        // Read the error queues: each message kept whole, with the reason it was refused.
        var found = new Dictionary<string, string>();
        var withoutReason = new List<string>();
        var quarantineIds = new HashSet<Guid>();
        var unexplained = new List<string>();
        var byReason = new SortedDictionary<string, int>(StringComparer.Ordinal);
        await using (var channel = await admin.CreateChannelAsync())
        {
            foreach (var agency in Agencies)
            {
                var queue = $"agency.{agency}.inbound_error";
                if (await AgencyAmqp.DepthAsync(admin, queue) == 0) continue;
                while (await channel.BasicGetAsync(queue, autoAck: true) is { } message)
                {
                    if (message.BasicProperties.Header(RunHeader) != _run) continue;
                    var id = message.BasicProperties.MessageId ?? "";
                    var reason = message.BasicProperties.Header("hub-reason");
                    found[id] = queue;
                    byReason[reason] = byReason.GetValueOrDefault(reason) + 1;
                    if (reason == "exception")
                        unexplained.Add($"{id} ({sentMalformed.GetValueOrDefault(id).Strategy}): {message.BasicProperties.Header("MT-Fault-ExceptionType")}: {message.BasicProperties.Header("MT-Fault-Message")}");
                    if (reason.Length == 0 || message.BasicProperties.Header("MT-Fault-Message").Length == 0) withoutReason.Add(id);
                    if (Guid.TryParse(message.BasicProperties.Header("hub-quarantine-id"), out var quarantineId)) quarantineIds.Add(quarantineId);
                }
            }
        }
        var skipped = 0L;
        foreach (var agency in Agencies) skipped += await AgencyAmqp.DepthAsync(admin, $"agency.{agency}.inbound_skipped");
        var refused = _refused.Values.Sum();
        var quarantined = await QuarantinedAsync(quarantineIds);
        using var health = await _hub.CreateClient().GetAsync("/health");
        var healthy = await health.Content.ReadAsStringAsync();

        var summary = $"AMQP fuzz: seed {seed} (FUZZ_SEED={seed} replays it); sent {Malformed + good.Count} ({Malformed} malformed, {good.Count} good) in {published.TotalSeconds:0.0} s; " +
                      $"refused (hub.inbound.refused) {refused}; in error queues {found.Count}; in quarantine {quarantined}; good decided {decided}/{good.Count}; skipped {skipped}; " +
                      $"health {healthy}; {clock.Elapsed.TotalSeconds:0.0} s in all\n" +
                      $"  strategies: {string.Join(", ", sentMalformed.Values.GroupBy(v => v.Strategy).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"))}\n" +
                      $"  error-queue reasons (hub-reason): {string.Join(", ", byReason.Select(r => $"{r.Key}×{r.Value}"))}\n" +
                      $"  refused by reason (metric): {string.Join(", ", _refused.OrderBy(r => r.Key).Select(r => $"{r.Key}×{r.Value}"))}";
        output.WriteLine(summary);
        Console.WriteLine(summary);

        var lost = sentMalformed.Keys.Where(id => !found.ContainsKey(id)).Take(10).Select(id => $"{id} ({sentMalformed[id].Agency}/{sentMalformed[id].Strategy})").ToList();
        Assert.True(lost.Count == 0, "Malformed messages not in an error queue (first 10): " + string.Join(", ", lost));
        var misplaced = found.Where(f => sentMalformed.TryGetValue(f.Key, out var s) && f.Value != $"agency.{s.Agency}.inbound_error").Take(10).ToList();
        Assert.True(misplaced.Count == 0, "In another agency's error queue: " + string.Join(", ", misplaced));
        Assert.Equal(Malformed, found.Count); // nothing else of this run (no good message) was refused
        Assert.Empty(withoutReason);
        Assert.Equal(Malformed, quarantineIds.Count); // each copy names its own quarantine record
        Assert.Equal(Malformed, quarantined);         // and the hub holds that record: on the Failures page, replayable
        Assert.True(unexplained.Count == 0, "Every refusal names its reason; 'exception' means the hub did not know why:\n" + string.Join("\n", unexplained.Take(10)));
        Assert.Equal(good.Count, decided);
        Assert.Equal(Malformed, refused);
        Assert.Equal(0, skipped);
        Assert.Equal("Healthy", healthy);
    }

    /// <summary>How many of these quarantine records are held, kept from AMQP.</summary>
    private async Task<int> QuarantinedAsync(IReadOnlyCollection<Guid> ids)
    {
        await using var db = await _hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        var amqp = await db.Quarantine.Where(q => q.Channel == "amqp" && q.Status == QuarantineStatus.Held).Select(q => q.Id).ToListAsync();
        return amqp.Count(ids.Contains);
    }

    private async Task<long> DecidedAsync(IReadOnlyCollection<Guid> trackingIds)
    {
        using var scope = _hub.Services.CreateScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContextAsync();
        return await db.Decisions.Where(d => trackingIds.Contains(d.TrackingId)).Select(d => d.TrackingId).Distinct().LongCountAsync();
    }

    /// <summary>A message that must be refused, made by <paramref name="strategy"/> from the agency's example.</summary>
    private static (BasicProperties Properties, byte[] Body) Mutate(string strategy, string agency, string example, string id, Random random)
    {
        var (kind, structured, nhsNumber) = Shapes[agency];
        var user = $"agency-{agency}";
        var contentType = agency == "health" ? "application/fhir+json" : "application/json";
        BasicProperties As(string? type = null, string? userId = null) => AgencyAmqp.Properties(type ?? kind, id, userId ?? user, contentType);

        // Some strategies only make sense for some agencies: fall back to a truncation, which is always refused.
        if ((strategy == "invalid-fhir" && agency != "health") || (strategy == "bad-nhs-number" && nhsNumber is null)) strategy = "truncated";
        return strategy switch
        {
            // A proper prefix of a JSON object is never JSON.
            "truncated" => (As(), Encoding.UTF8.GetBytes(example[..random.Next(example.TrimEnd().Length - 1)])),
            "wrong-type" => (As(), Set(example, structured[random.Next(structured.Length)], random.Next(4) switch
            {
                0 => JsonValue.Create(42), 1 => JsonValue.Create(true), 2 => new JsonArray(1, 2), _ => JsonValue.Create("text"),
            })),
            // A required object given as a 300,000-character string.
            "huge-string" => (As(), Set(example, structured[0], JsonValue.Create(new string('A', 300_000)))),
            "deep-nesting" => (As(), Encoding.UTF8.GetBytes($"{{\"{structured[0]}\": " + new string('[', 5_000) + new string(']', 5_000) + "}")),
            "invalid-fhir" => (As(), random.Next(4) switch
            {
                0 => Encoding.UTF8.GetBytes("""{"resourceType": "Patient", "id": "p1", "gender": "female"}"""),
                1 => Set(example, "type", JsonValue.Create("batch")),
                2 => Set(example, "unknownElement", JsonValue.Create("x")),
                _ => Set(example, "resourceType", JsonValue.Create("Bundel")),
            }),
            "bad-nhs-number" => (As(), Encoding.UTF8.GetBytes(example.Replace(nhsNumber!, InvalidNhsNumber(random), StringComparison.Ordinal))),
            "unknown-type" => (As(type: "Kind" + random.Next(1_000_000).ToString(CultureInfo.InvariantCulture)), Encoding.UTF8.GetBytes(example)),
            "no-type" => (AgencyAmqp.Properties(null, id, user), Encoding.UTF8.GetBytes(example)),
            "missing-user-id" => (AgencyAmqp.Properties(kind, id, null, contentType), Encoding.UTF8.GetBytes(example)),
            "another-agencys-kind" => (As(type: Shapes[Agencies.First(a => a != agency)].Kind), Encoding.UTF8.GetBytes(example)),
            "binary-garbage" => (As(), Garbage(random, 1 + random.Next(4_096))),
            "large-body" => (As(), Garbage(random, 2_000_000 + random.Next(1_000_000))),
            "empty" => (As(), []),
            "not-utf8" => (As(), [0xff, 0xfe, 0x00, 0x7b, 0xc3, 0x28, 0xa0, 0xa1]),
            "not-an-object" => (As(), Encoding.UTF8.GetBytes(new[] { "[]", "42", "\"text\"", "true", "null", "[{}]" }[random.Next(6)])),
            _ => throw new InvalidOperationException(strategy),
        };
    }

    private static byte[] Set(string json, string property, JsonNode? value)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        root[property] = value;
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    /// <summary>Ten digits whose modulus-11 check digit is wrong (or 10, which no NHS number has).</summary>
    private static string InvalidNhsNumber(Random random)
    {
        var digits = Enumerable.Range(0, 9).Select(_ => random.Next(10)).ToArray();
        var check = 11 - digits.Select((d, i) => d * (10 - i)).Sum() % 11;
        var wrong = check switch { 11 => 1, 10 => random.Next(10), _ => (check + 1 + random.Next(9)) % 10 };
        return string.Concat(digits) + wrong.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Random bytes that do not start a JSON value.</summary>
    private static byte[] Garbage(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        bytes[0] = 0xfe;
        return bytes;
    }
}
