using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Sharing;
using IntegrationHub.Operations.Audit;
using IntegrationHub.Operations.Security;
using IntegrationHub.Persistence;
using IntegrationHub.Routing.Messaging;
using IntegrationHub.Routing.Sharing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Operations.Content;

public sealed record OpenedContent(Guid TrackingId, string Agency, string Kind, DateTimeOffset ReceivedAt, string Content, Guid NotificationId);

/// <summary>
/// A supervisor opens a message's content only after giving a reason. The opening is audited (who, what, when, why)
/// in the same transaction as the notice to the sending agency (outbox to <c>agency.&lt;agency&gt;.feedback</c>).
/// </summary>
public sealed class ContentOpening(IDbContextFactory<HubDbContext> dbFactory, DeliverySender sender, IServiceScopeFactory scopes, TimeProvider clock)
{
    public const int MinimumReasonLength = 10;

    public async Task<OpenedContent?> OpenAsync(Guid trackingId, Operator who, string reason, CancellationToken ct)
    {
        if (!OperatorRoles.Implied(who.Role).Contains(OperatorRoles.Supervisor)) throw new UnauthorizedAccessException("Only supervisors may open content.");
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length < MinimumReasonLength)
            throw new ArgumentException($"Give a reason of at least {MinimumReasonLength} characters.", nameof(reason));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var message = await db.Messages.AsNoTracking().FirstOrDefaultAsync(m => m.TrackingId == trackingId, ct);
        if (message is null) return null;
        var now = clock.GetUtcNow();
        var notificationId = Guid.CreateVersion7();
        DeliveryRecord? notice = null;
        if (Enum.TryParse<Agency>(message.Agency, out var agency))
        {
            var opened = new RecordOpened
            {
                NotificationId = notificationId, TrackingId = trackingId, Agency = agency, OpenedAt = now, OpenedBy = who.Name, Reason = reason.Trim(),
            };
            notice = new DeliveryRecord
            {
                DeliveryId = notificationId, TrackingId = trackingId, Recipient = $"agency:{message.Agency.ToLowerInvariant()}",
                Queue = RecipientQueues.FeedbackFor(agency), MessageKind = nameof(RecordOpened), CreatedAt = now,
                Payload = JsonSerializer.Serialize(opened, ContractJson.Options),
            };
            db.Deliveries.Add(notice);
        }
        db.Audit.Add(OperatorAudit.Entry(who, "ContentOpened", reason.Trim(), now, trackingId));
        await db.SaveChangesAsync(ct);

        if (notice is not null)
        {
            using var scope = scopes.CreateScope();
            try
            {
                await sender.SendAsync([notice], scope.ServiceProvider.GetRequiredService<ISendEndpointProvider>(), ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Staged in the outbox: the stalled-work sweeper sends it.
            }
        }
        var content = message.PurgedAt is null ? Pretty(message.Payload) : "(content purged by the retention policy; only metadata is kept)";
        return new OpenedContent(trackingId, message.Agency, message.Kind, message.ReceivedAt, content, notificationId);
    }

    private static string Pretty(string json)
    {
        try { return JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement, new JsonSerializerOptions { WriteIndented = true }); }
        catch (JsonException) { return json; }
    }
}
