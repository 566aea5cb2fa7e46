using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>
    /// Registers a pooled <see cref="HubDbContext"/> factory on SQLite or PostgreSQL, and the schema initializer.
    /// <paramref name="defaultSqlitePath"/> is used when no connection string is configured.
    /// </summary>
    public static IServiceCollection AddHubPersistence(this IServiceCollection services, Func<IServiceProvider, string> defaultSqlitePath)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.Provider != DatabaseProvider.Postgres || !string.IsNullOrWhiteSpace(o.ConnectionString),
                "Hub:Database:ConnectionString is required when Hub:Database:Provider is Postgres.")
            .ValidateOnStart();

        services.AddPooledDbContextFactory<HubDbContext>((sp, options) =>
        {
            var db = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            switch (db.Provider)
            {
                case DatabaseProvider.Postgres:
                    options.UseNpgsql(WithAutoPrepare(db.ConnectionString!, db.AutoPrepareStatements), npgsql => npgsql.CommandTimeout(db.CommandTimeoutSeconds));
                    break;
                default:
                    var connection = db.ConnectionString ?? $"Data Source={defaultSqlitePath(sp)}";
                    options.UseSqlite(connection, sqlite => sqlite.CommandTimeout(db.CommandTimeoutSeconds));
                    break;
            }
        });
        services.AddSingleton<SchemaInitializer>();
        services.AddSingleton<WriteGate>();
        return services;
    }

    private static string WithAutoPrepare(string connectionString, int statements)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0) builder.MaxAutoPrepare = statements;
        return builder.ConnectionString;
    }
}
