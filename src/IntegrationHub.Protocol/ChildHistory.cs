namespace IntegrationHub.Protocol;

/// <summary>What the hub already knows about the child, passed in so the engine stays pure.</summary>
public sealed record ChildHistory
{
    public static readonly ChildHistory None = new();

    /// <summary>Start times of earlier missing episodes.</summary>
    public IReadOnlyList<DateTimeOffset> MissingEpisodes { get; init; } = [];
    /// <summary>The child is already known to be at risk of sexual exploitation.</summary>
    public bool KnownCseRisk { get; init; }
    /// <summary>When the current missing episode started (last seen, else reported), for the length of the episode.</summary>
    public DateTimeOffset? MissingSince { get; init; }
    /// <summary>The current episode's missing report said the child went missing from care.</summary>
    public bool MissingFromCare { get; init; }
    /// <summary>
    /// When the child of the current episode was found or returned, if the found report came before the missing report:
    /// the child is no longer missing, so no one is told that the child is.
    /// </summary>
    public DateTimeOffset? ReturnedAt { get; init; }
}
