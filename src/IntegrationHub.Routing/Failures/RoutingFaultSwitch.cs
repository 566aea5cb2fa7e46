using Microsoft.Extensions.Options;

namespace IntegrationHub.Routing.Failures;

/// <summary>The <c>Hub:Testing</c> section: switches for showing how the hub behaves when things go wrong.</summary>
public sealed class TestingOptions
{
    public const string SectionName = "Hub:Testing";

    /// <summary>
    /// While true, the router fails every concern and the lifecycle every missing, found and return-interview report
    /// (without retrying), so they show on the operations failures page.
    /// Read on every message, so a change to appsettings.json takes effect without a restart.
    /// </summary>
    public bool FailRouting { get; set; }
}

/// <summary>Thrown by the router while <see cref="TestingOptions.FailRouting"/> is on. Not retried: it would fail again.</summary>
public sealed class SimulatedRoutingFailureException(string message) : Exception(message);

/// <summary>Lets an operator (or a test) force routing failures to see them, retry them and watch them audited.</summary>
public sealed class RoutingFaultSwitch(IOptionsMonitor<TestingOptions> options)
{
    /// <summary>Overrides the configuration while set (tests flip it at run time).</summary>
    public bool? Override { get; set; }

    public bool FailRouting => Override ?? options.CurrentValue.FailRouting;

    public void ThrowIfOn()
    {
        if (FailRouting)
            throw new SimulatedRoutingFailureException("Failed on purpose: Hub:Testing:FailRouting is on.");
    }
}
