using System.Runtime.Versioning;
using IntegrationHub.Testing;
using Xunit;

[assembly: SupportedOSPlatform("linux")]

namespace IntegrationHub.Testing.Tests;

/// <summary>Shared private RabbitMQ node that has deploy/rabbitmq/definitions.json loaded.</summary>
public sealed class DefinitionsRabbitMqFixture : RabbitMqFixture
{
    public const string Name = "RabbitMQ with deploy definitions";

    public static string DefinitionsPath => Path.Combine(AppContext.BaseDirectory, "deploy", "rabbitmq", "definitions.json");

    protected override RabbitMqNodeOptions Options => new() { DefinitionsFile = DefinitionsPath };
}

[CollectionDefinition(DefinitionsRabbitMqFixture.Name)]
public sealed class DefinitionsRabbitMqCollection : ICollectionFixture<DefinitionsRabbitMqFixture>;

[CollectionDefinition(PostgresFixture.Collection)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>;
