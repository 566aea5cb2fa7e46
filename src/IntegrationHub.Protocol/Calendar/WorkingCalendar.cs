using IntegrationHub.Contracts.Common;

namespace IntegrationHub.Protocol.Calendar;

/// <summary>
/// Working days for the area: weekends and bank holidays are not working days. The bank holidays are the rules'
/// dates, less the removed dates (a holiday moved that year), plus the added dates (one-off holidays).
/// </summary>
public sealed class WorkingCalendar
{
    // The rules' dates of these years are worked out once, at construction; other years' when asked.
    private const int FirstPrecomputedYear = 1990;
    private const int LastPrecomputedYear = 2100;

    private readonly BankHolidayRules _rules;
    private readonly HashSet<DateOnly> _holidays;
    private readonly HashSet<DateOnly> _removed;
    private readonly TimeZoneInfo _zone;

    public WorkingCalendar(BankHolidayRules rules, IEnumerable<DateOnly> bankHolidays, IEnumerable<DateOnly> notBankHolidays,
        string timeZone = LocalDates.DefaultTimeZone)
    {
        if (!Enum.IsDefined(rules)) throw new ArgumentOutOfRangeException(nameof(rules), rules, "Unknown bank holiday rules.");
        _rules = rules;
        _removed = [.. notBankHolidays];
        _holidays = [];
        if (rules == BankHolidayRules.EnglandAndWales)
            for (var year = FirstPrecomputedYear; year <= LastPrecomputedYear; year++)
                _holidays.UnionWith(EnglandAndWalesBankHolidays.Of(year));
        _holidays.ExceptWith(_removed);
        _holidays.UnionWith(bankHolidays);
        _zone = LocalDates.Zone(timeZone);
    }

    public bool IsWorkingDay(DateOnly day) =>
        day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !_holidays.Contains(day) && !IsRuleDateOfAnotherYear(day);

    private bool IsRuleDateOfAnotherYear(DateOnly day) =>
        day.Year is < FirstPrecomputedYear or > LastPrecomputedYear && _rules == BankHolidayRules.EnglandAndWales
        && !_removed.Contains(day) && EnglandAndWalesBankHolidays.Of(day.Year).Contains(day);

    /// <summary>
    /// The same local time of day, <paramref name="days"/> working days later. A concern that arrives on a day
    /// off is treated as arriving at the start of the next working day. The answer is in UTC, as times are stored.
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
        return new DateTimeOffset(dueLocal, _zone.GetUtcOffset(dueLocal)).ToUniversalTime(); // stored as UTC
    }
}
