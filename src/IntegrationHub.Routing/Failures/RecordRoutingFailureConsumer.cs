using IntegrationHub.Contracts.MissingEpisodes;
using IntegrationHub.Contracts.Referrals;
using IntegrationHub.Contracts.ReturnInterviews;
using IntegrationHub.Persistence;
using IntegrationHub.Persistence.Failures;
using IntegrationHub.Routing.Referrals;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Routing.Failures;

/// <summary>
/// Records a message the hub gave up on (its <c>Fault</c>): a concern the router could not route, or a missing, found
/// or return-interview report the lifecycle could not take. Operations see it grouped by cause and can retry it from
/// the stored message. The stalled-work sweeper leaves recorded failures alone: a person decides.
/// </summary>
public sealed class RecordRoutingFailureConsumer(IDbContextFactory<HubDbContext> dbFactory, TimeProvider clock, HubMetrics metrics,
    ILogger<RecordRoutingFailureConsumer> logger)
    : IConsumer<Fault<ConcernRaised>>, IConsumer<Fault<ChildReportedMissing>>, IConsumer<Fault<ChildFound>>, IConsumer<Fault<ReturnInterviewCompleted>>
{
    public Task Consume(ConsumeContext<Fault<ConcernRaised>> context) =>
        RecordAsync(context.Message.Message.TrackingId, ConcernRouter.InboxName, context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<Fault<ChildReportedMissing>> context) =>
        RecordAsync(context.Message.Message.TrackingId, nameof(ChildReportedMissing), context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<Fault<ChildFound>> context) =>
        RecordAsync(context.Message.Message.TrackingId, nameof(ChildFound), context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<Fault<ReturnInterviewCompleted>> context) =>
        RecordAsync(context.Message.Message.TrackingId, nameof(ReturnInterviewCompleted), context.Message, context.CancellationToken);

    private async Task RecordAsync(Guid trackingId, string consumer, Fault fault, CancellationToken ct)
    {
        var exception = fault.Exceptions.FirstOrDefault();
        var type = exception?.ExceptionType ?? "unknown";
        var shape = FailureCause.ShapeOf(exception?.Message);
        var cause = FailureCause.KeyOf(type, shape);
        var now = clock.GetUtcNow();

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var failures = db.Set<FailureRecord>();
        var record = await failures.FirstOrDefaultAsync(f => f.TrackingId == trackingId && f.Consumer == consumer, ct);
        if (record is null)
        {
            record = new FailureRecord
            {
                Id = Guid.CreateVersion7(), TrackingId = trackingId, Consumer = consumer,
                ExceptionType = type, MessageShape = shape, Cause = cause, FirstSeen = now,
            };
            failures.Add(record);
        }
        record.ExceptionType = type;
        record.MessageShape = shape;
        record.Cause = cause;
        record.LastSeen = now;
        record.Occurrences++;
        record.Status = FailureStatus.Open;
        db.Audit.Add(new AuditEntry
        {
            At = now, TrackingId = trackingId, Event = "RoutingFailed", Actor = consumer == ConcernRouter.InboxName ? "router" : "lifecycle",
            Detail = $"{type}: {shape} (cause {cause})",
        });
        await db.SaveChangesAsync(ct);
        metrics.Failed(cause, type);
        logger.LogWarning("{Kind} {TrackingId} failed after retries: {ExceptionType} (cause {Cause})",
            consumer == ConcernRouter.InboxName ? nameof(ConcernRaised) : consumer, trackingId, type, cause);
    }
}
