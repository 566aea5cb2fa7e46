using IntegrationHub.Ingress.Security;
using IntegrationHub.Persistence;
using IntegrationHub.Routing.Messaging;
using IntegrationHub.Routing.Sharing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Ingress;

/// <summary>
/// Runs before the bus starts: creates the schema, loads the pseudonymisation secret and the API keys, declares the
/// recipients' queues on RabbitMQ, and says plainly when the hub is running in its non-durable embedded mode.
/// </summary>
public sealed class HubStartup(SchemaInitializer schema, ChildKeys childKeys, ApiKeyRegistry keys, IssuedKeys issuedKeys,
    IOptions<MessagingOptions> messaging, IOptions<DatabaseOptions> database, HubPaths paths, ILogger<HubStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await schema.InitializeAsync(cancellationToken);
        await childKeys.InitializeAsync(cancellationToken);
        var issued = await issuedKeys.LoadAsync(cancellationToken);
        keys.Initialize(issued);
        keys.ApplyIssued(issued);

        var transport = messaging.Value.Transport;
        if (transport == TransportKind.RabbitMq)
        {
            await RabbitMqRecipientTopology.DeclareAsync(messaging.Value.RabbitMq, logger, cancellationToken);
        }
        else
        {
            logger.LogWarning(
                "Embedded mode: in-memory bus. Messages in flight are lost if the process stops (accepted concerns are kept in the database and re-sent at start). " +
                "For durable operation set Hub__Transport=RabbitMq (with Hub__RabbitMq__Host, Port, Username, Password) and Hub__Database__Provider=Postgres.");
        }
        logger.LogInformation("IntegrationHub started: transport {Transport}, database {Provider}, data directory {DataDirectory}",
            transport, database.Value.Provider, paths.DataDirectory);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
