namespace IntegrationHub.Protocol.Calendar;

/// <summary>Which standing rules give the bank holidays of the working-day calendar.</summary>
public enum BankHolidayRules
{
    /// <summary>England and Wales (<see cref="EnglandAndWalesBankHolidays"/>).</summary>
    EnglandAndWales,
    /// <summary>No rules: only the configured dates are bank holidays (e.g. Scotland or Northern Ireland, which list their own).</summary>
    None,
}
