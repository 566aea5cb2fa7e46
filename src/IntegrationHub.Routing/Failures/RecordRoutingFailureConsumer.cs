using IntegrationHub.Contracts.Referrals;
using IntegrationHub.Persistence;
using IntegrationHub.Persistence.Failures;
using IntegrationHub.Routing.Referrals;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Routing.Failures;

/// <summary>
/// Records a concern the router gave up on (its <c>Fault</c>), so operations see it grouped by cause and can retry it
/// from the stored message. The stalled-work sweeper leaves recorded failures alone: a person decides.
/// </summary>
public sealed class RecordRoutingFailureConsumer(IDbContextFactory<HubDbContext> dbFactory, TimeProvider clock, HubMetrics metrics,
    ILogger<RecordRoutingFailureConsumer> logger) : IConsumer<Fault<ConcernRaised>>
{
    public async Task Consume(ConsumeContext<Fault<ConcernRaised>> context)
    {
        var fault = context.Message;
        var trackingId = fault.Message.TrackingId;
        var exception = fault.Exceptions.FirstOrDefault();
        var type = exception?.ExceptionType ?? "unknown";
        var shape = FailureCause.ShapeOf(exception?.Message);
        var cause = FailureCause.KeyOf(type, shape);
        var now = clock.GetUtcNow();

        await using var db = await dbFactory.CreateDbContextAsync(context.CancellationToken);
        var failures = db.Set<FailureRecord>();
        var record = await failures.FirstOrDefaultAsync(f => f.TrackingId == trackingId && f.Consumer == ConcernRouter.InboxName, context.CancellationToken);
        if (record is null)
        {
            record = new FailureRecord
            {
                Id = Guid.CreateVersion7(), TrackingId = trackingId, Consumer = ConcernRouter.InboxName,
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
            At = now, TrackingId = trackingId, Event = "RoutingFailed", Actor = "router",
            Detail = $"{type}: {shape} (cause {cause})",
        });
        await db.SaveChangesAsync(context.CancellationToken);
        metrics.Failed(cause, type);
        logger.LogWarning("Concern {TrackingId} failed routing after retries: {ExceptionType} (cause {Cause})", trackingId, type, cause);
    }
}
