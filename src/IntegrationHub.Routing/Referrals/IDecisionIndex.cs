using IntegrationHub.Persistence;

namespace IntegrationHub.Routing.Referrals;

/// <summary>
/// Work that commits in the same transaction as a group of first decisions: the pattern index (PAT-01) is one. The
/// group's drafts are given in order, so each can see what those before it added.
/// </summary>
public interface IDecisionIndex
{
    /// <summary>Adds to <paramref name="db"/> what the newly decided concerns imply; returns the outbox rows each one needs (one list per draft).</summary>
    Task<IReadOnlyList<IReadOnlyList<DeliveryRecord>>> AddAsync(HubDbContext db, IReadOnlyList<DecisionDraft> drafts, CancellationToken ct);
}
