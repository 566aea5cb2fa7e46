using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace IntegrationHub.Persistence;

/// <summary>
/// Every <see cref="DateTimeOffset"/> is stored as UTC. Times reach the store with other offsets: a working-day deadline
/// is worked out in the area's time zone (+01:00 in summer), and an agency's <c>returnedAt</c> or <c>completedAt</c> carries
/// its own offset. Npgsql refuses to write any offset but zero to <c>timestamptz</c>, and SQLite's binary form orders by
/// the local clock reading, not the instant, so both would go wrong in summer time. The conversion also applies to query
/// parameters and to the rows <see cref="CopyInserts"/> copies.
/// </summary>
public sealed class UtcDateTimeOffsetConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(v => v.ToUniversalTime(), v => v);

/// <summary>
/// On SQLite: the UTC instant in Entity Framework's binary form (<see cref="DateTimeOffsetToBinaryConverter"/>), so that
/// stored values order and compare as instants. Rows written before with another offset still read as the instant they
/// were.
/// </summary>
public sealed class UtcDateTimeOffsetToBinaryConverter() : ValueConverter<DateTimeOffset, long>(v => ToBinary(v), v => FromBinary(v))
{
    private static readonly DateTimeOffsetToBinaryConverter Binary = new();

    private static long ToBinary(DateTimeOffset value) => (long)Binary.ConvertToProvider(value.ToUniversalTime())!;

    private static DateTimeOffset FromBinary(long value) => (DateTimeOffset)Binary.ConvertFromProvider(value)!;
}
