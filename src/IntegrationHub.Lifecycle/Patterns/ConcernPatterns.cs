using IntegrationHub.Persistence;
using IntegrationHub.Protocol.Patterns;
using IntegrationHub.Routing.Referrals;

namespace IntegrationHub.Lifecycle.Patterns;

/// <summary>
/// Every concern, from any agency and any channel, goes into the pattern index (PAT-01) in the transaction that records
/// its decision (docs/decisions/0007-pattern-index-in-the-decision.md): a group of decisions reads the index once for
/// all the keys its concerns name, and a pattern alert is an outbox row sent with the concern's own deliveries.
/// </summary>
public sealed class ConcernPatterns(PatternIndex patterns) : IDecisionIndex
{
    public async Task<IReadOnlyList<IReadOnlyList<DeliveryRecord>>> AddAsync(HubDbContext db, IReadOnlyList<DecisionDraft> drafts, CancellationToken ct)
    {
        // A concern that names no person, place or car, or no child, has nothing to index.
        var keys = drafts.Select(d => d.ChildKey is null ? [] : PatternExtraction.From(d.Message.Concern)).ToList();
        if (keys.All(k => k.Count == 0)) return [.. drafts.Select(_ => (IReadOnlyList<DeliveryRecord>)[])];

        var batch = await patterns.LoadAsync(db, keys.SelectMany(k => k), drafts.Min(d => d.DecidedAt), ct);
        return [.. drafts.Select((draft, i) => (IReadOnlyList<DeliveryRecord>)(keys[i].Count == 0 ? []
            : batch.Add(keys[i], draft.ChildKey, draft.Message.TrackingId, draft.Message.Agency, draft.DecidedAt)))];
    }
}
