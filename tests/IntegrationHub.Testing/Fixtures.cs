using Xunit;

namespace IntegrationHub.Testing;

/// <summary>
/// One private RabbitMQ node per xunit test collection. Declare the collection once in the test project:
/// <code>[CollectionDefinition(RabbitMqFixture.Collection)] public sealed class RabbitMqCollection : ICollectionFixture&lt;RabbitMqFixture&gt;;</code>
/// then put <c>[Collection(RabbitMqFixture.Collection)]</c> on test classes and take <see cref="RabbitMqFixture"/> in their constructor.
/// </summary>
public class RabbitMqFixture : IAsyncLifetime
{
    /// <summary>Suggested collection name.</summary>
    public const string Collection = "RabbitMQ";

    private RabbitMqNode? node;

    /// <summary>The node (available after <see cref="InitializeAsync"/>).</summary>
    public RabbitMqNode Node => node ?? throw new InvalidOperationException("RabbitMqFixture is not initialised.");

    /// <summary>Shortcut for <see cref="RabbitMqNode.AmqpUri"/>.</summary>
    public Uri AmqpUri => Node.AmqpUri;

    /// <summary>Options for the node; override to load definitions, disable management, etc.</summary>
    protected virtual RabbitMqNodeOptions Options => new();

    /// <inheritdoc />
    public async Task InitializeAsync() => node = await RabbitMqNode.StartAsync(Options).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (node is not null)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>
/// One private PostgreSQL node per xunit test collection. Declare the collection once in the test project:
/// <code>[CollectionDefinition(PostgresFixture.Collection)] public sealed class PostgresCollection : ICollectionFixture&lt;PostgresFixture&gt;;</code>
/// then put <c>[Collection(PostgresFixture.Collection)]</c> on test classes; use <see cref="CreateDatabaseAsync"/> per test for isolation.
/// </summary>
public class PostgresFixture : IAsyncLifetime
{
    /// <summary>Suggested collection name.</summary>
    public const string Collection = "PostgreSQL";

    private PostgresNode? node;

    /// <summary>The node (available after <see cref="InitializeAsync"/>).</summary>
    public PostgresNode Node => node ?? throw new InvalidOperationException("PostgresFixture is not initialised.");

    /// <summary>Connection string of the default database.</summary>
    public string ConnectionString => Node.ConnectionString;

    /// <summary>Options for the node.</summary>
    protected virtual PostgresNodeOptions Options => new();

    /// <summary>Creates a fresh database with a unique name (prefix + random) and returns its connection string.</summary>
    public Task<string> CreateDatabaseAsync(string prefix = "db", CancellationToken ct = default) =>
        Node.CreateDatabaseAsync($"{prefix}_{Guid.NewGuid():N}", ct);

    /// <inheritdoc />
    public async Task InitializeAsync() => node = await PostgresNode.StartAsync(Options).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (node is not null)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }
    }
}
