using Microsoft.Extensions.Hosting;

namespace IntegrationHub.Operations.Security;

/// <summary>Loads (and in the embedded default, creates) the console users at start, so a bad entry stops the hub with its name.</summary>
public sealed class OperatorStartup(OperatorDirectory directory) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = directory.Users;
        _ = directory.UnknownUser;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
