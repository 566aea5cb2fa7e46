using IntegrationHub.Contracts.ReturnInterviews;
using IntegrationHub.Routing.Failures;
using IntegrationHub.Routing.Sharing;
using MassTransit;

namespace IntegrationHub.Lifecycle.MissingEpisodes;

/// <summary>A return interview done, declined or not possible: stops the clock; RI-01 findings go to the router as a new concern.</summary>
public sealed class ReturnInterviewCompletedConsumer(MissingEpisodeService episodes, DeliverySender sender, RoutingFaultSwitch faults) : IConsumer<ReturnInterviewCompleted>
{
    public async Task Consume(ConsumeContext<ReturnInterviewCompleted> context)
    {
        faults.ThrowIfOn();
        var (pending, raised) = await episodes.InterviewedAsync(context.Message, context.MessageId ?? context.Message.TrackingId, context.CancellationToken);
        if (raised is not null) await context.Publish(raised, c => c.MessageId = raised.TrackingId, context.CancellationToken);
        await sender.SendAsync(pending, context, context.CancellationToken);
    }
}
