namespace IntegrationHub.Protocol.Calendar;

/// <summary>Working days for the area: weekends and configured bank holidays are not working days.</summary>
public sealed class WorkingCalendar
{
    private readonly HashSet<DateOnly> _holidays;
    private readonly TimeZoneInfo _zone;

    public WorkingCalendar(IEnumerable<DateOnly> bankHolidays, string timeZone = "Europe/London")
    {
        _holidays = [.. bankHolidays];
        _zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
    }

    public bool IsWorkingDay(DateOnly day) =>
        day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !_holidays.Contains(day);

    /// <summary>
    /// The same local time of day, <paramref name="days"/> working days later. A concern that arrives on a day
    /// off is treated as arriving at the start of the next working day.
    /// </summary>
    public DateTimeOffset AddWorkingDays(DateTimeOffset from, int days)
    {
        var local = TimeZoneInfo.ConvertTime(from, _zone);
        var day = DateOnly.FromDateTime(local.DateTime);
        var time = TimeOnly.FromDateTime(local.DateTime);
        if (!IsWorkingDay(day))
        {
            while (!IsWorkingDay(day)) day = day.AddDays(1);
            time = new TimeOnly(9, 0);
        }
        for (var added = 0; added < days;)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day)) added++;
        }
        var dueLocal = day.ToDateTime(time);
        return new DateTimeOffset(dueLocal, _zone.GetUtcOffset(dueLocal));
    }
}
