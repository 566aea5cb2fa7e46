namespace IntegrationHub.Tests.Lifecycle;

/// <summary>
/// Protocol:TimeZone is checked at start: a misspelt zone stops the hub naming the setting. Unchecked, it failed later,
/// when the protocol was first built, with the runtime's own TimeZoneNotFoundException.
/// </summary>
public sealed class When_the_time_zone_is_misconfigured
{
    [Theory]
    [InlineData("Europe/Londres")]
    [InlineData("GMT+1 summer")]
    [InlineData(" ")]
    public void Should_refuse_to_start_and_name_the_setting(string value)
    {
        using var hub = new HubFactory(new Dictionary<string, string?> { ["Protocol:TimeZone"] = value });
        var error = Assert.ThrowsAny<Exception>(() => hub.CreateClient());
        Assert.Contains("Protocol:TimeZone is not a time zone", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_start_with_another_known_zone()
    {
        using var hub = new HubFactory(new Dictionary<string, string?> { ["Protocol:TimeZone"] = "Europe/Dublin" });
        using var client = hub.CreateClient();
    }
}
