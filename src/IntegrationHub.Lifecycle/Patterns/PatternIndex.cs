using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Patterns;
using IntegrationHub.Persistence;
using IntegrationHub.Persistence.Lifecycle;
using IntegrationHub.Protocol;
using IntegrationHub.Protocol.Patterns;
using IntegrationHub.Routing.Messaging;
using IntegrationHub.Routing.Sharing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Lifecycle.Patterns;

/// <summary>
/// The index of persons, locations, vehicles, phones and handles named in any message, and PAT-01 over it. Runs inside
/// the caller's transaction: the mentions, the pattern head rows and the alerts' outbox rows commit together. Every
/// mention touches its key's head row (optimistic concurrency), so two messages naming one key at once are serialised
/// and neither child is missed.
/// </summary>
public sealed class PatternIndex(IOptions<ProtocolOptions> protocol)
{
    private readonly ProtocolOptions _options = protocol.Value;

    public async Task<List<DeliveryRecord>> AddAsync(HubDbContext db, IReadOnlyList<PatternKey> keys, string? childKey,
        Guid trackingId, Agency agency, DateTimeOffset now, CancellationToken ct)
    {
        var deliveries = new List<DeliveryRecord>();
        if (childKey is null || keys.Count == 0) return deliveries;
        var from = now - TimeSpan.FromDays(_options.PatternWindowDays);

        foreach (var key in keys)
        {
            var earlier = await db.PatternMentions.AsNoTracking()
                .Where(m => m.KeyKind == key.Kind && m.Key == key.Value && m.At >= from)
                .Select(m => new { m.ChildKey, m.At, m.Agency, m.TrackingId })
                .ToListAsync(ct);
            db.PatternMentions.Add(new PatternMention
            {
                KeyKind = key.Kind, Key = key.Value, ChildKey = childKey, TrackingId = trackingId, Agency = agency.ToString(), At = now,
            });
            var mentions = earlier.Append(new { ChildKey = childKey, At = now, Agency = agency.ToString(), TrackingId = trackingId }).ToList();

            var pattern = await db.Patterns.FirstOrDefaultAsync(p => p.KeyKind == key.Kind && p.Key == key.Value, ct);
            if (pattern is null)
            {
                pattern = new PatternRecord { Id = Guid.CreateVersion7(), KeyKind = key.Kind, Key = key.Value, FirstSeen = now };
                db.Patterns.Add(pattern);
            }
            else
            {
                pattern.Version++;
            }

            var children = PatternOfConcernRule.ChildrenInWindow(mentions.Select(m => (m.ChildKey, m.At)), now, _options);
            var alerted = pattern.ChildKeys.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var outcome = PatternOfConcernRule.Evaluate(children, alerted, _options);
            pattern.LastSeen = now;
            pattern.FirstSeen = mentions.Min(m => m.At);
            pattern.Agencies = string.Join(' ', mentions.Select(m => m.Agency).Distinct().Order(StringComparer.Ordinal));
            if (outcome == PatternOutcome.None) continue;

            var joined = children.Where(c => !alerted.Contains(c)).ToList();
            pattern.ChildKeys = string.Join(' ', alerted.Concat(joined));
            pattern.Revision++;
            if (outcome == PatternOutcome.Detected) pattern.DetectedAt = now;
            else pattern.UpdatedAt = now;

            var agencies = mentions.Select(m => Enum.Parse<Agency>(m.Agency)).Distinct().Order().ToList();
            var trackingIds = mentions.Select(m => m.TrackingId).Distinct().ToList();
            var childKeys = pattern.ChildKeys.Split(' ');
            foreach (var recipient in new[] { Recipient.Marp, Recipient.Police })
            {
                var deliveryId = DeliveryIds.For($"pattern/{pattern.Id:N}/{pattern.Revision}/{recipient}");
                object message = outcome == PatternOutcome.Detected
                    ? new PatternOfConcernDetected
                    {
                        DeliveryId = deliveryId, PatternId = pattern.Id, Revision = pattern.Revision, Recipient = recipient,
                        KeyKind = key.Kind, Key = key.Value, ChildKeys = childKeys, Agencies = agencies, TrackingIds = trackingIds,
                        FirstSeen = pattern.FirstSeen, LastSeen = now,
                    }
                    : new PatternOfConcernUpdated
                    {
                        DeliveryId = deliveryId, PatternId = pattern.Id, Revision = pattern.Revision, Recipient = recipient,
                        KeyKind = key.Kind, Key = key.Value, ChildKeys = childKeys, NewChildKeys = joined, Agencies = agencies,
                        TrackingIds = trackingIds, FirstSeen = pattern.FirstSeen, LastSeen = now,
                    };
                deliveries.Add(new DeliveryRecord
                {
                    DeliveryId = deliveryId, TrackingId = trackingId, Recipient = recipient.ToString(), Queue = RecipientQueues.For(recipient),
                    MessageKind = message.GetType().Name, CreatedAt = now,
                    Payload = JsonSerializer.Serialize(message, message.GetType(), ContractJson.Options),
                });
            }
            db.Audit.Add(new AuditEntry
            {
                At = now, TrackingId = trackingId, Event = outcome == PatternOutcome.Detected ? "PatternDetected" : "PatternUpdated",
                Actor = "lifecycle", Detail = $"PAT-01 pattern {pattern.Id} ({key.Kind}) revision {pattern.Revision}: {childKeys.Length} children",
            });
        }
        return deliveries;
    }
}
