using IntegrationHub.Contracts;

namespace IntegrationHub.Tests.Contracts;

/// <summary>
/// The published JSON Schemas match the contracts. After changing a contract, regenerate them with
/// <c>UPDATE_SCHEMAS=1 dotnet test --filter ContractSchemaTests</c> and commit the diff.
/// </summary>
public sealed class ContractSchemaTests
{
    public static TheoryData<string> Types => new(ContractSchemas.Published.Select(t => t.Name));

    [Theory]
    [MemberData(nameof(Types))]
    public void Schema_file_matches_the_contract(string typeName)
    {
        var type = ContractSchemas.Published.Single(t => t.Name == typeName);
        var path = Path.Combine(RepositoryRoot(), "contracts", "schemas", $"{typeName}.schema.json");
        var generated = ContractSchemas.Generate(type);

        if (Environment.GetEnvironmentVariable("UPDATE_SCHEMAS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, generated);
        }

        Assert.True(File.Exists(path), $"{path} is missing: run UPDATE_SCHEMAS=1 dotnet test --filter ContractSchemaTests");
        Assert.True(generated == File.ReadAllText(path), $"{path} is out of date: run UPDATE_SCHEMAS=1 dotnet test --filter ContractSchemaTests");
    }

    [Fact]
    public void Concern_schema_names_the_required_fields_and_refuses_unknown_ones()
    {
        var schema = System.Text.Json.JsonDocument.Parse(ContractSchemas.Generate(typeof(IntegrationHub.Contracts.Referrals.Concern))).RootElement;
        var required = schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(["child", "narrative", "referrer"], required.Order());
        Assert.False(schema.GetProperty("additionalProperties").GetBoolean());
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "IntegrationHub.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("IntegrationHub.sln not found above " + AppContext.BaseDirectory);
    }
}
