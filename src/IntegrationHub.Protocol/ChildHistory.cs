namespace IntegrationHub.Protocol;

/// <summary>What the hub already knows about the child, passed in so the engine stays pure.</summary>
public sealed record ChildHistory
{
    public static readonly ChildHistory None = new();

    /// <summary>Start times of earlier missing episodes.</summary>
    public IReadOnlyList<DateTimeOffset> MissingEpisodes { get; init; } = [];
    /// <summary>The child is already known to be at risk of sexual exploitation.</summary>
    public bool KnownCseRisk { get; init; }
}
