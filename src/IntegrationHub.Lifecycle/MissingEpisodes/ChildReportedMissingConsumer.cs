using IntegrationHub.Contracts.MissingEpisodes;
using IntegrationHub.Routing.Failures;
using IntegrationHub.Routing.Sharing;
using MassTransit;

namespace IntegrationHub.Lifecycle.MissingEpisodes;

/// <summary>A child reported missing: MIS-05, MIS-01 and the pattern index, then delivery.</summary>
public sealed class ChildReportedMissingConsumer(MissingEpisodeService episodes, DeliverySender sender, RoutingFaultSwitch faults) : IConsumer<ChildReportedMissing>
{
    public async Task Consume(ConsumeContext<ChildReportedMissing> context)
    {
        faults.ThrowIfOn();
        var pending = await episodes.ReportedAsync(context.Message, context.MessageId ?? context.Message.TrackingId, context.CancellationToken);
        await sender.SendAsync(pending, context, context.CancellationToken);
    }
}
