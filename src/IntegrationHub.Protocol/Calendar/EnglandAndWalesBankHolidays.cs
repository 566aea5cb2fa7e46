namespace IntegrationHub.Protocol.Calendar;

/// <summary>
/// The bank holidays of England and Wales by their standing rules (Banking and Financial Dealings Act 1971 and royal
/// proclamation), as they have stood since the early May bank holiday began in 1978. One-off changes by proclamation
/// (e.g. the early May holiday moved to Friday 8 May 2020) are not rules: they are configured.
/// </summary>
public static class EnglandAndWalesBankHolidays
{
    /// <summary>The eight bank holidays of <paramref name="year"/> by the rules, in date order.</summary>
    public static IReadOnlyList<DateOnly> Of(int year)
    {
        var easter = EasterSunday(year);
        // Christmas Day and Boxing Day, with substitutes for either on a weekend.
        var (first, second) = new DateOnly(year, 12, 25).DayOfWeek switch
        {
            DayOfWeek.Friday => (25, 28),   // Boxing Day on Saturday: its substitute is Monday 28
            DayOfWeek.Saturday => (27, 28), // both on the weekend: Monday 27 and Tuesday 28
            DayOfWeek.Sunday => (26, 27),   // Boxing Day on Monday 26; Christmas Day's substitute is Tuesday 27
            _ => (25, 26),
        };
        return
        [
            NextWeekday(new DateOnly(year, 1, 1)),
            easter.AddDays(-2),
            easter.AddDays(1),
            FirstMonday(year, 5),
            LastMonday(year, 5),
            LastMonday(year, 8),
            new DateOnly(year, 12, first),
            new DateOnly(year, 12, second),
        ];
    }

    /// <summary>Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm, as given by Meeus).</summary>
    public static DateOnly EasterSunday(int year)
    {
        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = (19 * a + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + 2 * e + 2 * i - h - k) % 7;
        var m = (a + 11 * h + 22 * l) / 451;
        var month = (h + l - 7 * m + 114) / 31;
        var day = (h + l - 7 * m + 114) % 31 + 1;
        return new DateOnly(year, month, day);
    }

    private static DateOnly NextWeekday(DateOnly day) => day.DayOfWeek switch
    {
        DayOfWeek.Saturday => day.AddDays(2),
        DayOfWeek.Sunday => day.AddDays(1),
        _ => day,
    };

    private static DateOnly FirstMonday(int year, int month)
    {
        var first = new DateOnly(year, month, 1);
        return first.AddDays(((int)DayOfWeek.Monday - (int)first.DayOfWeek + 7) % 7);
    }

    private static DateOnly LastMonday(int year, int month)
    {
        var last = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
        return last.AddDays(-(((int)last.DayOfWeek - (int)DayOfWeek.Monday + 7) % 7));
    }
}
