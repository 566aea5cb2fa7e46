using System.Collections.Concurrent;

namespace IntegrationHub.Contracts.Common;

/// <summary>
/// The date it is where the partnership works (Europe/London unless the protocol's <c>TimeZone</c> says otherwise), not
/// in UTC. Birthdays and "not after today" are local: from midnight to 01:00 in British Summer Time the UTC date is
/// still yesterday, so a child turning 13 or 16 that day would be a year younger, and a record signed today would be
/// "in the future".
/// </summary>
public static class LocalDates
{
    /// <summary>The time zone when none is configured.</summary>
    public const string DefaultTimeZone = "Europe/London";

    private static readonly ConcurrentDictionary<string, TimeZoneInfo> Zones = new(StringComparer.Ordinal);

    /// <summary>The date in <paramref name="timeZone"/> (an IANA id) at the instant <paramref name="at"/>.</summary>
    public static DateOnly Of(DateTimeOffset at, string timeZone = DefaultTimeZone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Zone(timeZone)).DateTime);

    /// <summary>
    /// The time zone <paramref name="timeZone"/> (an IANA id), looked up once. Throws
    /// <see cref="TimeZoneNotFoundException"/> when the system does not know it.
    /// </summary>
    public static TimeZoneInfo Zone(string timeZone = DefaultTimeZone) => Zones.GetOrAdd(timeZone, TimeZoneInfo.FindSystemTimeZoneById);
}
