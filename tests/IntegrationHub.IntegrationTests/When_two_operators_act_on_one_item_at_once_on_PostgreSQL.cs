using IntegrationHub.Testing;
using IntegrationHub.Tests.Operations;

namespace IntegrationHub.IntegrationTests;

/// <summary>The races of <see cref="When_two_operators_act_on_one_item_at_once"/> on PostgreSQL, where the two actions'
/// transactions really run side by side (SQLite lets one write at a time).</summary>
[Collection(RealServices.Name)]
[Trait("Category", "Integration")]
public sealed class When_two_operators_act_on_one_item_at_once_on_PostgreSQL(PostgresFixture postgres) : When_two_operators_act_on_one_item_at_once
{
    protected override async Task<Dictionary<string, string?>> SettingsAsync() => RealHub.Settings(null, await postgres.CreateDatabaseAsync("races"));
}
