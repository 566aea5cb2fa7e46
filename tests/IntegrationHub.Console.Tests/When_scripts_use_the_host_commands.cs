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
    public async Task Should_print_a_password_hash_the_hub_accepts()
    {
        using var output = new StringWriter();
        Assert.Equal(0, await HubCommands.RunAsync(["hash-password"], _configuration, output, new StringReader("correct horse\n")));
        Assert.True(IntegrationHub.Operations.Security.PasswordHashing.Verify("correct horse", output.ToString().Trim()));
        Assert.False(IntegrationHub.Operations.Security.PasswordHashing.Verify("wrong horse", output.ToString().Trim()));
    }
}
