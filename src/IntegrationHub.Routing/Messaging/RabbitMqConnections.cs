using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace IntegrationHub.Routing.Messaging;

/// <summary>
/// The hub's own short RabbitMQ.Client connections beside the bus (declaring topology at start, taking resolved copies
/// out of error queues): the same broker, user and TLS checks as the bus.
/// </summary>
public static class RabbitMqConnections
{
    public static ConnectionFactory FactoryFor(RabbitMqOptions options, string clientName)
    {
        var factory = new ConnectionFactory
        {
            HostName = options.Host,
            Port = options.Port,
            VirtualHost = options.VirtualHost,
            UserName = options.Username,
            Password = options.Password,
            ClientProvidedName = clientName,
        };
        if (options.UseTls)
        {
            factory.Ssl = new SslOption
            {
                Enabled = true, ServerName = options.TlsServerName ?? options.Host, CertificateValidationCallback = RabbitMqTls.ValidatorFor(options),
            };
        }
        return factory;
    }

    /// <summary>
    /// Takes out of <paramref name="queue"/> the messages whose key is in <paramref name="wanted"/>, and removes each key
    /// found from it. Looks at no more messages than were waiting when it began and stops once every key is found (with
    /// <paramref name="everyCopy"/>, only at the end of those: a key may be on more than one message); the messages it
    /// passes over are not acknowledged, and return to the queue when the channel closes. A queue that does not exist
    /// holds nothing. Returns the keys removed.
    /// </summary>
    public static async Task<IReadOnlySet<T>> RemoveAsync<T>(IConnection connection, string queue, ISet<T> wanted, Func<BasicGetResult, T?> keyOf,
        CancellationToken ct, bool everyCopy = false) where T : struct
    {
        var removed = new HashSet<T>();
        if (wanted.Count == 0) return removed;
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        uint waiting;
        try
        {
            waiting = (await channel.QueueDeclarePassiveAsync(queue, ct)).MessageCount;
        }
        catch (OperationInterruptedException)
        {
            return removed; // No such queue yet: nothing ever went there on this broker.
        }
        var looking = new HashSet<T>(wanted);
        for (uint i = 0; i < waiting && looking.Count > 0; i++)
        {
            var got = await channel.BasicGetAsync(queue, autoAck: false, ct);
            if (got is null) break;
            if (keyOf(got) is { } key && (everyCopy ? wanted.Contains(key) : looking.Remove(key)))
            {
                await channel.BasicAckAsync(got.DeliveryTag, multiple: false, ct);
                removed.Add(key);
            }
        }
        await channel.CloseAsync(ct);
        wanted.ExceptWith(removed);
        return removed;
    }

    /// <summary>The failures that mean the broker could not be reached or the connection was lost.</summary>
    public static bool IsUnreachable(Exception ex) =>
        ex is BrokerUnreachableException or OperationInterruptedException or AlreadyClosedException or IOException;
}
