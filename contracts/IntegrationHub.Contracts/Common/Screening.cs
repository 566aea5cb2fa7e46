namespace IntegrationHub.Contracts.Common;

/// <summary>A completed CSE screening tool (handbook 16).</summary>
public sealed record Screening
{
    /// <summary>Version of the screening tool used.</summary>
    public string? ToolVersion { get; init; }
    /// <summary>The outcome.</summary>
    public ScreeningOutcome Outcome { get; init; }
    /// <summary>When it was completed.</summary>
    public DateOnly? CompletedOn { get; init; }
}
