using IntegrationHub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.IntegrationTests;

/// <summary>Hub database contexts on one PostgreSQL database, for tests that drive the persistence code without a hub.</summary>
internal sealed class PostgresContexts(string connectionString) : IDbContextFactory<HubDbContext>
{
    public HubDbContext CreateDbContext() => new(new DbContextOptionsBuilder<HubDbContext>().UseNpgsql(connectionString).Options);
}
