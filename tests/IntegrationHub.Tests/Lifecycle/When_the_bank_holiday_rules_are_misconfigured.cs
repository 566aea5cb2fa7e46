namespace IntegrationHub.Tests.Lifecycle;

/// <summary>Protocol:BankHolidayRules is checked at start: a wrong value stops the hub instead of failing every decision.</summary>
public sealed class When_the_bank_holiday_rules_are_misconfigured
{
    [Theory]
    [InlineData("Scotland")] // not a name
    [InlineData("7")]        // a number that names no rules
    public void Should_refuse_to_start_and_name_the_setting(string value)
    {
        using var hub = new HubFactory(new Dictionary<string, string?> { ["Protocol:BankHolidayRules"] = value });
        var error = Assert.ThrowsAny<Exception>(() => hub.CreateClient());
        Assert.Contains("BankHolidayRules", error.ToString(), StringComparison.Ordinal);
    }
}
