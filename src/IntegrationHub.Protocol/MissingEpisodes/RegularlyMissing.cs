namespace IntegrationHub.Protocol.MissingEpisodes;

/// <summary>MIS-01 (handbook 14): a child missing <c>RegularlyMissingEpisodes</c> times or more within <c>RegularlyMissingWindowDays</c> is regularly missing.</summary>
public static class RegularlyMissing
{
    public const string Id = "MIS-01";
    public const string Section = "14";

    /// <summary>The episode starts that count at <paramref name="now"/>: within the window (its first day included), none in the future.</summary>
    public static IReadOnlyList<DateTimeOffset> InWindow(IEnumerable<DateTimeOffset> starts, DateTimeOffset now, ProtocolOptions options)
    {
        var from = now - TimeSpan.FromDays(options.RegularlyMissingWindowDays);
        return [.. starts.Where(s => s >= from && s <= now).Distinct().Order()];
    }

    public static bool Applies(IEnumerable<DateTimeOffset> starts, DateTimeOffset now, ProtocolOptions options) =>
        InWindow(starts, now, options).Count >= options.RegularlyMissingEpisodes;
}
