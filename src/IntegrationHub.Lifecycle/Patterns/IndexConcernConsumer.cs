using IntegrationHub.Contracts.Referrals;
using IntegrationHub.Protocol.Patterns;
using IntegrationHub.Routing.Sharing;
using MassTransit;

namespace IntegrationHub.Lifecycle.Patterns;

/// <summary>Every concern, from any agency, goes into the pattern index (PAT-01) beside its routing.</summary>
public sealed class IndexConcernConsumer(Outbox outbox, PatternIndex patterns, ChildKeys childKeys, DeliverySender sender) : IConsumer<ConcernRaised>
{
    public const string InboxName = "pattern-index";

    public async Task Consume(ConsumeContext<ConcernRaised> context)
    {
        var message = context.Message;
        var keys = PatternExtraction.From(message.Concern);
        // Nothing named (no person, place or car): nothing to index, and nothing to remember having done.
        if (keys.Count == 0) return;
        var pending = await outbox.OnceAsync(context.MessageId ?? message.TrackingId, message.TrackingId, InboxName, (db, now) =>
            patterns.AddAsync(db, keys, message.ChildKey ?? childKeys.For(message.Concern.Child),
                message.TrackingId, message.Agency, now, context.CancellationToken), context.CancellationToken);
        // Only this consumer's own alerts: the router sends the concern's deliveries.
        await sender.SendAsync([.. pending.Where(d => d.MessageKind.StartsWith("PatternOfConcern", StringComparison.Ordinal))], context, context.CancellationToken);
    }
}
