using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Ingress.Referrals;
using RabbitMQ.Client;

namespace IntegrationHub.FaultTests.Harness;

/// <summary>Publishes in batches, flat out or paced to a steady rate.</summary>
public static class Pacing
{
    /// <param name="publish">Publishes items [start, end) and completes when the broker has confirmed them.</param>
    /// <param name="perSecond">Items per second; 0 publishes flat out, one batch after another.</param>
    /// <param name="openLoop">
    /// At a steady rate, start each batch when it is due without waiting for the ones before to be confirmed: an
    /// open-loop load, as from many independent senders. Waiting instead (closed loop) lets a slow broker slow the
    /// sender, so less load is offered than asked for and the delay goes unmeasured (coordinated omission). At most two
    /// seconds of load is left unconfirmed; beyond that the sender waits for the oldest batch.
    /// </param>
    public static async Task RunAsync(int count, double perSecond, int batch, Func<int, int, Task> publish, bool openLoop, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var inFlight = new Queue<Task>();
        var most = openLoop && perSecond > 0 ? Math.Max(2, (int)Math.Ceiling(perSecond * 2 / batch)) : 1;
        for (var start = 0; start < count; start += batch)
        {
            if (perSecond > 0)
            {
                // Read the clock once: read twice, the wait can turn negative between the reads, which Task.Delay refuses.
                var wait = TimeSpan.FromSeconds(start / perSecond) - clock.Elapsed;
                if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);
            }
            while (inFlight.TryPeek(out var oldest) && (oldest.IsCompleted || inFlight.Count >= most)) await inFlight.Dequeue();
            inFlight.Enqueue(publish(start, Math.Min(start + batch, count)));
        }
        await Task.WhenAll(inFlight);
    }
}

/// <summary>One concern to publish: who sends it, its id, its body.</summary>
public sealed record OutgoingConcern(int Index, Agency Agency, string MessageId, Guid TrackingId, byte[] Body, string Type = "Concern", bool Poison = false);

/// <summary>Realistic concerns (1-2 KB) drawn from docs/examples, with varied ages, agencies, signs and narratives.</summary>
public static class ConcernCatalogue
{
    private static readonly Agency[] Senders = [Agency.Education, Agency.Police, Agency.Health, Agency.Probation, Agency.Yot];
    private static readonly string[][] SignSets =
    [
        ["SexualActivityUnder16", "OlderBoyfriendOrGirlfriend"],
        ["CarsWithUnknownAdults", "UnexplainedGifts", "MultiplePhones"],
        ["UnexplainedGifts"],
        ["MultiplePhones", "CarsWithUnknownAdults"],
    ];
    private static readonly string[] Sentences =
    [
        "Staff noticed a change in behaviour over the last fortnight and a drop in attendance.",
        "The young person was collected from the gate by an adult not known to the family.",
        "A parent reported that the child returned home late on three occasions with new clothes.",
        "Friends have said the child talks about an older friend who gives lifts and money.",
        "The child was anxious when asked about a second phone and would not explain it.",
    ];

    private const string PlateLetters = "ABDEFGHJLNPRSTUWXYZ";

    private static string Letters(int n) => string.Concat(Enumerable.Range(0, 3).Select(i => PlateLetters[(n / (int)Math.Pow(PlateLetters.Length, i)) % PlateLetters.Length]));

    public static OutgoingConcern Make(string run, int index)
    {
        var agency = Senders[index % Senders.Length];
        var template = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "docs", "examples",
            index % 2 == 0 ? "education-concern.json" : "police-concern.json")))!.AsObject();
        template.Remove("agency");
        var child = template["child"]!.AsObject();
        var age = 8 + (index * 7 % 10); // 8..17
        child.Remove("dateOfBirth");
        child.Remove("nhsNumber"); // one fixed NHS number for all would make every child the same person
        child["ageYears"] = age;
        child["localChildId"] = $"C-{run}-{index}";
        child["givenName"] = (index % 3) switch { 0 => "Jordan", 1 => "Alex", _ => "Sam" };
        if (age >= 16) template.Remove("sexualActivity");
        template["signs"] = new JsonArray(SignSets[index % SignSets.Length].Select(s => (JsonNode)JsonValue.Create(s)!).ToArray());
        // The police template names a car and a place. Shared by every concern they would make one pattern of
        // thousands of children; as agencies see them, a car or a place links a few children (three here) at most.
        var group = index / 6;
        foreach (var person in template["personsOfConcern"]?.AsArray() ?? [])
        {
            if (person?["vehicles"] is JsonArray) person["vehicles"] = new JsonArray(JsonValue.Create($"BN{group % 90 + 10} {Letters(group)}"));
        }
        foreach (var location in template["locations"]?.AsArray() ?? [])
        {
            location!["description"] = $"Bus stop {group}";
            location["postcode"] = $"SN{group % 90 + 10} {group % 9 + 1}{Letters(group / 7)[..2]}";
        }
        var narrative = new StringBuilder(template["narrative"]!.GetValue<string>());
        for (var i = 0; narrative.Length < 400 + index % 700; i++) narrative.Append(' ').Append(Sentences[(index + i) % Sentences.Length]);
        template["narrative"] = narrative.ToString();
        var messageId = $"{run}-{index.ToString("D6", CultureInfo.InvariantCulture)}";
        return new OutgoingConcern(index, agency, messageId, ConcernIntake.TrackingIdFor(agency, messageId), Encoding.UTF8.GetBytes(template.ToJsonString()));
    }
}

/// <summary>
/// Publishes concerns as the agencies do (their own broker users, user_id set, persistent, publisher confirms). A
/// batch that is not confirmed (the broker went away) is published again on a new connection: at least once, the
/// message id makes it idempotent at the hub.
/// </summary>
public sealed class AgencyPublisher(Func<int> amqpPort, Action<string> log)
{
    private readonly ConcurrentDictionary<Agency, (IConnection Connection, IChannel Channel)> _links = new();

    private int _confirmed;

    public int Republished { get; private set; }

    /// <summary>Messages confirmed by the broker so far.</summary>
    public int Confirmed => Volatile.Read(ref _confirmed);
    public ConcurrentDictionary<string, long> PublishedAtTicks { get; } = new();

    public static string UserOf(Agency agency) => $"agency-{agency.ToString().ToLowerInvariant()}";

    /// <param name="openLoop">
    /// At a steady rate, start each batch when it is due whether or not the broker has confirmed the ones before (up to
    /// two seconds of load unconfirmed), as independent agencies would: the load offered is the load asked for, and a
    /// slow confirm shows as latency instead of slowing the sender (see <see cref="Pacing"/>).
    /// </param>
    public async Task PublishAllAsync(IReadOnlyList<OutgoingConcern> concerns, double perSecond, int batch, CancellationToken ct, bool openLoop = false)
    {
        // Batches in flight together share each agency's channel: open it once, before them.
        if (openLoop) foreach (var agency in concerns.Select(c => c.Agency).Distinct()) await LinkAsync(agency, ct);
        await Pacing.RunAsync(concerns.Count, perSecond, batch, (start, end) => PublishBatchAsync([.. concerns.Skip(start).Take(end - start)], ct),
            openLoop, ct);
    }

    private async Task PublishBatchAsync(List<OutgoingConcern> slice, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var tasks = new List<Task>(slice.Count);
                foreach (var group in slice.GroupBy(c => c.Agency))
                {
                    var (_, channel) = await LinkAsync(group.Key, ct);
                    foreach (var c in group)
                    {
                        var properties = new BasicProperties
                        {
                            ContentType = "application/json", Type = c.Type, MessageId = c.MessageId, UserId = UserOf(c.Agency),
                            DeliveryMode = DeliveryModes.Persistent,
                        };
                        PublishedAtTicks.TryAdd(c.MessageId, Stopwatch.GetTimestamp());
                        tasks.Add(channel.BasicPublishAsync($"agency.{c.Agency.ToString().ToLowerInvariant()}.inbound", "", false, properties, c.Body, ct).AsTask());
                    }
                }
                await Task.WhenAll(tasks);
                Interlocked.Add(ref _confirmed, slice.Count);
                if (attempt > 0) Republished += slice.Count;
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException && DateTime.UtcNow < deadline)
            {
                log($"publish batch failed ({e.GetType().Name}: {e.Message.Split('\n')[0]}); reconnecting and publishing the batch again");
                await DropAllAsync();
                await Task.Delay(500, ct);
            }
        }
    }

    private async Task<(IConnection, IChannel)> LinkAsync(Agency agency, CancellationToken ct)
    {
        if (_links.TryGetValue(agency, out var link) && link.Channel.IsOpen) return link;
        var user = UserOf(agency);
        var factory = new ConnectionFactory
        {
            Uri = new Uri($"amqp://{user}:{user}-dev-password@127.0.0.1:{amqpPort()}/"),
            AutomaticRecoveryEnabled = false,
            RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
        };
        var connection = await factory.CreateConnectionAsync($"fault-publisher-{agency}", ct);
        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
        _links[agency] = (connection, channel);
        return (connection, channel);
    }

    public async Task DropAllAsync()
    {
        foreach (var (agency, (connection, channel)) in _links.ToArray())
        {
            _links.TryRemove(agency, out _);
            try { await channel.DisposeAsync(); } catch (Exception) { /* already broken */ }
            try { await connection.DisposeAsync(); } catch (Exception) { /* already broken */ }
        }
    }
}
