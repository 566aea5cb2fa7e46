using IntegrationHub.Contracts.Common;
using IntegrationHub.Adapters.Health;

namespace IntegrationHub.Adapters.Tests.Health;

/// <summary>DOMAIN.md, identifiers: 10 digits, weights 10..2 on the first nine, check = 11 - (sum mod 11), 11 becomes 0, 10 is invalid.</summary>
public class NhsNumberTests
{
    [Theory]
    [InlineData("9434765919", true, "the NHS's published example")]
    [InlineData("9990000018", true, "synthetic test range, check digit 8")]
    [InlineData("9990000026", true, "synthetic test range, check digit 6")]
    [InlineData("9999999999", true, "sum 486, 486 mod 11 = 2, check 9")]
    [InlineData("9876543210", true, "check digit 0 from a remainder of 11")]
    [InlineData("999 000 0018", true, "spaces as people type them")]
    [InlineData("999-000-0018", true, "dashes as people type them")]
    [InlineData("9990000019", false, "wrong check digit")]
    [InlineData("9912003890", false, "UK Core BabyPatient example: its check digit should be 6")]
    [InlineData("9991234560", false, "remainder gives 10: no valid check digit exists")]
    [InlineData("9991234561", false, "remainder gives 10, whatever the last digit")]
    [InlineData("999000001", false, "nine digits")]
    [InlineData("99900000188", false, "eleven digits")]
    [InlineData("99900O0018", false, "a letter O for a zero")]
    [InlineData("", false, "empty")]
    [InlineData(null, false, "absent")]
    public void IsValid_follows_the_modulus_11_rule(string? value, bool expected, string because)
    {
        Assert.True(NhsNumber.IsValid(value) == expected, because);
    }

    [Theory]
    [InlineData("943 476 5919", "9434765919")]
    [InlineData("943-476-5919", "9434765919")]
    [InlineData(" 9434765919 ", "9434765919")]
    public void Normalise_strips_spaces_and_dashes(string value, string expected)
    {
        Assert.Equal(expected, NhsNumber.Normalise(value));
    }
}
