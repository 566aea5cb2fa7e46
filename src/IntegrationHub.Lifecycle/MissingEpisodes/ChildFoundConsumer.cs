using IntegrationHub.Contracts.MissingEpisodes;
using IntegrationHub.Routing.Failures;
using IntegrationHub.Routing.Sharing;
using MassTransit;

namespace IntegrationHub.Lifecycle.MissingEpisodes;

/// <summary>A child found or returned: the return interview and its 72-hour clock (MIS-02, MIS-03), then delivery.</summary>
public sealed class ChildFoundConsumer(MissingEpisodeService episodes, DeliverySender sender, RoutingFaultSwitch faults) : IConsumer<ChildFound>
{
    public async Task Consume(ConsumeContext<ChildFound> context)
    {
        faults.ThrowIfOn();
        var pending = await episodes.FoundAsync(context.Message, context.MessageId ?? context.Message.TrackingId, context.CancellationToken);
        await sender.SendAsync(pending, context, context.CancellationToken);
    }
}
