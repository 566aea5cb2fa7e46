using IntegrationHub.Testing;

namespace IntegrationHub.IntegrationTests;

/// <summary>One private RabbitMQ node and one private PostgreSQL cluster for the whole project's real-broker tests.</summary>
[CollectionDefinition(Name)]
public sealed class RealServices : ICollectionFixture<RabbitMqFixture>, ICollectionFixture<PostgresFixture>
{
    public const string Name = "Real RabbitMQ and PostgreSQL";
}

public static class RealHub
{
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "IntegrationHub.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("IntegrationHub.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Settings that point the hub at the private broker and, when given, a PostgreSQL database.</summary>
    public static Dictionary<string, string?> Settings(RabbitMqNode? rabbit, string? postgres = null)
    {
        var settings = new Dictionary<string, string?>();
        if (rabbit is not null)
        {
            settings["Hub:Transport"] = "RabbitMq";
            settings["Hub:RabbitMq:Host"] = "127.0.0.1";
            settings["Hub:RabbitMq:Port"] = rabbit.AmqpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["Hub:RabbitMq:Username"] = "guest";
            settings["Hub:RabbitMq:Password"] = "guest";
        }
        if (postgres is not null)
        {
            settings["Hub:Database:Provider"] = "Postgres";
            settings["Hub:Database:ConnectionString"] = postgres;
        }
        return settings;
    }
}
