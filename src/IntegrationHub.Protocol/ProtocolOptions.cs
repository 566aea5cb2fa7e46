using IntegrationHub.Contracts.Common;
using IntegrationHub.Protocol.Calendar;

namespace IntegrationHub.Protocol;

/// <summary>
/// Every threshold of the protocol, bound from the <c>Protocol</c> configuration section, because each area's
/// protocol differs and national guidance changes. Defaults are those of docs/PROTOCOL.md.
/// </summary>
public sealed class ProtocolOptions
{
    public const string SectionName = "Protocol";

    /// <summary>Version stamped on every decision; change it when an area changes its protocol.</summary>
    public string Version { get; set; } = "2017.1-hub.1";

    /// <summary>U13: below this age a child cannot consent (handbook 9.2).</summary>
    public int AgeOfConsentBoundaryUnder13 { get; set; } = 13;
    /// <summary>The age of consent (handbook 9.1).</summary>
    public int AgeOfConsent { get; set; } = 16;
    /// <summary>Adulthood (handbook 9.1).</summary>
    public int AdultAge { get; set; } = 18;
    /// <summary>Y13-02: a gap of at least this many years between a 13-15-year-old and the other person is considerable.</summary>
    public int ConsiderableAgeGapYears { get; set; } = 4;
    /// <summary>Y16-01: a gap of at least this many years between a 16-17-year-old and the other person is significant.</summary>
    public int SignificantAgeGapYears { get; set; } = 10;
    /// <summary>MIS-02/03: hours after return within which a return interview must happen.</summary>
    public int ReturnInterviewHours { get; set; } = 72;
    /// <summary>MIS-03: a child missing longer than this has a priority return interview.</summary>
    public int LongMissingHours { get; set; } = 24;
    /// <summary>MIS-01: episodes within <see cref="RegularlyMissingWindowDays"/> that make a child regularly missing.</summary>
    public int RegularlyMissingEpisodes { get; set; } = 3;
    /// <summary>MIS-01: the window for counting episodes.</summary>
    public int RegularlyMissingWindowDays { get; set; } = 90;
    /// <summary>PAT-01: distinct children linked to one key that make a pattern.</summary>
    public int PatternChildren { get; set; } = 2;
    /// <summary>PAT-01: the window for linking children.</summary>
    public int PatternWindowDays { get; set; } = 90;
    /// <summary>LADO and MASH decisions are due within this many working days.</summary>
    public int DecisionWorkingDays { get; set; } = 1;
    /// <summary>U13-02: a decision not to share about a child under 13 needs "detailed reasons": at least this many characters.</summary>
    public int DetailedReasonsMinimumLength { get; set; } = 80;
    /// <summary>
    /// The rules that give the bank holidays (not working days): England and Wales's by default; <c>None</c> for an area
    /// that lists all its own in <see cref="BankHolidays"/>.
    /// </summary>
    public BankHolidayRules BankHolidayRules { get; set; } = BankHolidayRules.EnglandAndWales;
    /// <summary>Bank holidays (ISO dates) besides the rules' dates, e.g. one-off holidays by proclamation (2020-05-08).</summary>
    public List<DateOnly> BankHolidays { get; set; } = [];
    /// <summary>Dates the rules give that are working days that year, e.g. 2020-05-04 when that holiday moved to 2020-05-08.</summary>
    public List<DateOnly> NotBankHolidays { get; set; } = [];
    /// <summary>Time zone of the area: its working days, and the local date that ages and "today" are counted in.</summary>
    public string TimeZone { get; set; } = LocalDates.DefaultTimeZone;
}
