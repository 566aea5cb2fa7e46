using Microsoft.Extensions.Configuration;

namespace IntegrationHub.Ingress;

/// <summary>Where the hub keeps local files in the embedded default: the SQLite database and generated agency keys.</summary>
public sealed class HubPaths(IConfiguration configuration)
{
    public string DataDirectory { get; } = Path.GetFullPath(configuration["Hub:DataDirectory"] ?? "data");

    public string KeysDirectory => Path.Combine(DataDirectory, "keys");

    public string DefaultSqlitePath => Path.Combine(DataDirectory, "integrationhub.db");
}
