using System.Text;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Persistence;
using IntegrationHub.Routing.Messaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace IntegrationHub.Ingress.Amqp;

/// <summary>
/// The agencies' error queues (<c>agency.&lt;agency&gt;.inbound_error</c>) on RabbitMQ. A message refused there is also
/// kept in quarantine, and its copy carries the quarantine id (<see cref="AgencyMove.QuarantineIdHeader"/>). Once
/// operations have replayed or discarded it, the copy is only a stale duplicate that the Queues page would go on counting
/// and that a move back to the inbound queue would route a second time: this takes those copies out.
/// </summary>
public sealed class AgencyErrorQueues(IOptions<MessagingOptions> messaging, ILogger<AgencyErrorQueues> logger)
{
    public static string QueueFor(Agency agency) => AgencyInboundConsumer.QueueFor(agency) + "_error";

    /// <summary>Only input that came over AMQP has a copy in an error queue.</summary>
    public bool HasCopy(QuarantineRecord record) => messaging.Value.Transport == TransportKind.RabbitMq && record.Channel == "amqp";

    /// <summary>
    /// Takes the copies of these quarantined messages out of every agency's error queue (a message whose sender was not
    /// vouched for has no agency in quarantine, so every queue is looked at, until a queue has held each one; that queue is
    /// read to its end, as one quarantine id may be on more than one copy). Returns the quarantine ids whose copies were
    /// removed, or null when the broker could not be reached (the copies then stay; replaying or discarding again removes them).
    /// </summary>
    public async Task<IReadOnlySet<Guid>?> RemoveAsync(IReadOnlyCollection<Guid> quarantineIds, CancellationToken ct)
    {
        if (quarantineIds.Count == 0) return new HashSet<Guid>();
        var wanted = new HashSet<Guid>(quarantineIds);
        var removed = new HashSet<Guid>();
        try
        {
            await using var connection = await RabbitMqConnections.FactoryFor(messaging.Value.RabbitMq, "integrationhub-quarantine").CreateConnectionAsync(ct);
            foreach (var agency in Enum.GetValues<Agency>())
            {
                if (wanted.Count == 0) break;
                // Every copy: a message refused again after it was kept (redelivered because its acknowledgement was lost
                // after the move) is kept once, under the same quarantine id, but moved twice.
                removed.UnionWith(await RabbitMqConnections.RemoveAsync(connection, QueueFor(agency), wanted, QuarantineIdOf, ct, everyCopy: true));
            }
            logger.LogInformation("Removed {Removed} replayed or discarded quarantine cop(ies) from the agencies' error queues", removed.Count);
            return removed;
        }
        catch (Exception ex) when (RabbitMqConnections.IsUnreachable(ex))
        {
            logger.LogWarning(ex, "Could not remove replayed or discarded quarantine copies from the agencies' error queues; they stay there");
            return null;
        }
    }

    private static Guid? QuarantineIdOf(BasicGetResult got) =>
        got.BasicProperties.Headers?.TryGetValue(AgencyMove.QuarantineIdHeader, out var value) == true
        && Guid.TryParse(value switch { byte[] bytes => Encoding.UTF8.GetString(bytes), string text => text, _ => null }, out var id)
            ? id : null;
}
