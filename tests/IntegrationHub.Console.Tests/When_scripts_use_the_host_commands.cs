using IntegrationHub.Operations.Commands;
using IntegrationHub.Tests;
using Microsoft.Extensions.Configuration;

namespace IntegrationHub.Console.Tests;

/// <summary>The host's commands (<c>audit verify</c>, <c>failures list</c>, <c>failures retry</c>) against a hub listening on a real port.</summary>
public sealed class When_scripts_use_the_host_commands : IClassFixture<BrowserHub>
{
    private readonly BrowserHub _b;
    private readonly IConfiguration _configuration;

    public When_scripts_use_the_host_commands(BrowserHub browser)
    {
        _b = browser;
        _configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Hub:Operations:ApiKey"] = HubFactory.OperationsKey }).Build();
    }

    private async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        var code = await HubCommands.RunAsync([.. args, "--url", _b.BaseUrl], _configuration, output, new StringReader(""));
        return (code, output.ToString());
    }

    [Fact]
    public async Task Should_verify_the_audit_chain_and_list_and_retry_failures()
    {
        var (code, output) = await RunAsync("audit", "verify");
        Assert.Equal(0, code);
        Assert.Contains("\"intact\": true", output);

        (code, output) = await RunAsync("failures", "list");
        Assert.Equal(0, code);
        Assert.Contains("\"groups\"", output);

        (code, output) = await RunAsync("failures", "retry", Guid.NewGuid().ToString());
        Assert.Equal(1, code);
        Assert.Contains("404", output);

        (code, _) = await RunAsync("failures", "frobnicate");
        Assert.Equal(2, code);
    }

    [Fact]
    public async Task Should_list_patterns_and_the_review_list_and_let_only_an_admin_issue_an_agency_key()
    {
        var (code, output) = await RunAsync("patterns");
        Assert.Equal(0, code);
        Assert.Contains("\"patterns\"", output);

        (code, output) = await RunAsync("marp-review", "--month", "2026-11");
        Assert.Equal(0, code);
        Assert.Contains("\"month\": \"2026-11\"", output);
        (code, output) = await RunAsync("marp-review", "--month", "November");
        Assert.Equal(1, code);
        Assert.Contains("400", output);

        (code, output) = await RunAsync("agencies", "issue-key", "probation", "--reason", "rotation by script");
        Assert.Equal(1, code);
        Assert.Contains("403", output);
        (code, _) = await RunAsync("agencies", "issue-key", "probation");
        Assert.Equal(2, code);

        var password = File.ReadAllText(Path.Combine(_b.Hub.DataDirectory, "keys", "console-admin.password")).Trim();
        Environment.SetEnvironmentVariable("HUB_PASSWORD", password);
        try
        {
            (code, output) = await RunAsync("agencies", "issue-key", "probation", "--reason", "rotation by script", "--user", "admin");
        }
        finally
        {
            Environment.SetEnvironmentVariable("HUB_PASSWORD", null);
        }
        Assert.Equal(0, code);
        var key = System.Text.Json.JsonDocument.Parse(output).RootElement.GetProperty("apiKey").GetString()!;
        using var client = new HttpClient { BaseAddress = new Uri(_b.BaseUrl) };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        using var response = await client.GetAsync($"/api/v1/decisions/{Guid.NewGuid()}");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Should_print_a_password_hash_the_hub_accepts()
    {
        using var output = new StringWriter();
        Assert.Equal(0, await HubCommands.RunAsync(["hash-password"], _configuration, output, new StringReader("correct horse\n")));
        Assert.True(IntegrationHub.Operations.Security.PasswordHashing.Verify("correct horse", output.ToString().Trim()));
        Assert.False(IntegrationHub.Operations.Security.PasswordHashing.Verify("wrong horse", output.ToString().Trim()));
    }
}
