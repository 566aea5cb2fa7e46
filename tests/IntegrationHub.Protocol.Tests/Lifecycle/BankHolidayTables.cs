using System.Globalization;
using IntegrationHub.Contracts.Referrals;
using IntegrationHub.Contracts.Sharing;
using IntegrationHub.Protocol.Calendar;
using static IntegrationHub.Protocol.Tests.TestData;

namespace IntegrationHub.Protocol.Tests.Lifecycle;

/// <summary>The working-day calendar's bank holidays: England and Wales's by rule, and configured changes.</summary>
public class BankHolidayTables
{
    private static DateOnly Date(string iso) => DateOnly.Parse(iso, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData(2025, new[] { "2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-25", "2025-12-26" })]
    [InlineData(2026, new[] { "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28" })]
    [InlineData(2027, new[] { "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28" })]
    [InlineData(2021, new[] { "2021-01-01", "2021-04-02", "2021-04-05", "2021-05-03", "2021-05-31", "2021-08-30", "2021-12-27", "2021-12-28" })] // Christmas on a Saturday
    public void England_and_Wales_bank_holidays_are_the_published_list(int year, string[] published) =>
        Assert.Equal(published.Select(Date), EnglandAndWalesBankHolidays.Of(year));

    [Theory]
    [InlineData(2022, new[] { "2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-05-30", "2022-08-29", "2022-12-26", "2022-12-27" })] // New Year's Day on a Saturday, Christmas on a Sunday
    [InlineData(2020, new[] { "2020-01-01", "2020-04-10", "2020-04-13", "2020-05-04", "2020-05-25", "2020-08-31", "2020-12-25", "2020-12-28" })] // Christmas on a Friday
    [InlineData(2023, new[] { "2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-29", "2023-08-28", "2023-12-25", "2023-12-26" })] // New Year's Day on a Sunday
    public void England_and_Wales_bank_holidays_by_the_rules_alone_leave_out_the_years_one_off_changes(int year, string[] byRule) =>
        Assert.Equal(byRule.Select(Date), EnglandAndWalesBankHolidays.Of(year));

    [Theory]
    [InlineData(2019, "2019-04-21")]
    [InlineData(2024, "2024-03-31")]
    [InlineData(2025, "2025-04-20")]
    [InlineData(2026, "2026-04-05")]
    [InlineData(2027, "2027-03-28")]
    [InlineData(2028, "2028-04-16")]
    [InlineData(2038, "2038-04-25")]
    public void Easter_Sunday_is_the_Gregorian_one(int year, string easter) =>
        Assert.Equal(Date(easter), EnglandAndWalesBankHolidays.EasterSunday(year));

    [Theory]
    [InlineData(BankHolidayRules.EnglandAndWales, new string[] { }, "2026-12-29T15:00:00+00:00")] // 25th Christmas, 26-27 the weekend, 28th Boxing Day's substitute
    [InlineData(BankHolidayRules.None, new string[] { }, "2026-12-25T15:00:00+00:00")]            // no bank holidays at all
    [InlineData(BankHolidayRules.None, new[] { "2026-12-25" }, "2026-12-28T15:00:00+00:00")]      // only the listed one
    public void A_MASH_decision_on_a_concern_on_Christmas_Eve_afternoon_is_due_after_the_bank_holidays(BankHolidayRules rules, string[] bankHolidays, string expectedDue)
    {
        var now = new DateTimeOffset(2026, 12, 24, 15, 0, 0, TimeSpan.Zero); // Thursday, 15:00 in London
        var message = Raised(Concern(13).WithActivity(13, 17)) with { ReceivedAt = now };
        var options = new ProtocolOptions { BankHolidayRules = rules, BankHolidays = [.. bankHolidays.Select(Date)] };
        var d = new SharingProtocol(options).Evaluate(message, ProtocolContext.At(now));
        var due = Assert.Single(d.Deadlines, x => x.Kind == DeadlineKinds.MashDecision);
        Assert.Equal(DateTimeOffset.Parse(expectedDue, CultureInfo.InvariantCulture), due.DueAt);
    }

    [Fact]
    public void Rules_are_England_and_Wales_unless_configured() =>
        Assert.False(new SharingProtocol(new ProtocolOptions()).Calendar.IsWorkingDay(Date("2026-12-25")));

    [Fact]
    public void Configured_dates_move_a_holiday_the_rules_give()
    {
        // 2020: the early May bank holiday moved from Monday 4 May to Friday 8 May (VE Day).
        var moved = new WorkingCalendar(BankHolidayRules.EnglandAndWales, [Date("2020-05-08")], [Date("2020-05-04")]);
        Assert.True(moved.IsWorkingDay(Date("2020-05-04")));
        Assert.False(moved.IsWorkingDay(Date("2020-05-08")));
        Assert.False(moved.IsWorkingDay(Date("2020-05-25"))); // the rules' other dates stay

        var byRule = new WorkingCalendar(BankHolidayRules.EnglandAndWales, [], []);
        Assert.False(byRule.IsWorkingDay(Date("2020-05-04")));
        Assert.True(byRule.IsWorkingDay(Date("2020-05-08")));
    }

    [Fact]
    public void Without_rules_only_the_configured_dates_are_bank_holidays()
    {
        // Scotland's 2 January 2026, listed by an area that keeps its own list.
        var own = new WorkingCalendar(BankHolidayRules.None, [Date("2026-01-01"), Date("2026-01-02")], []);
        Assert.False(own.IsWorkingDay(Date("2026-01-01")));
        Assert.False(own.IsWorkingDay(Date("2026-01-02")));
        Assert.True(own.IsWorkingDay(Date("2026-04-06"))); // Easter Monday, not listed
        Assert.True(own.IsWorkingDay(Date("2026-12-28")));
    }

    [Theory]
    [InlineData("1985-12-25")]
    [InlineData("2101-12-26")]
    [InlineData("2150-04-13")]
    [InlineData("2150-05-04")]
    public void Rules_apply_to_every_year_not_only_those_worked_out_in_advance(string holiday)
    {
        var calendar = new WorkingCalendar(BankHolidayRules.EnglandAndWales, [], []);
        Assert.False(calendar.IsWorkingDay(Date(holiday)));
        Assert.True(new WorkingCalendar(BankHolidayRules.EnglandAndWales, [], [Date(holiday)]).IsWorkingDay(Date(holiday)));
        Assert.True(new WorkingCalendar(BankHolidayRules.None, [], []).IsWorkingDay(Date(holiday)));
    }
}
