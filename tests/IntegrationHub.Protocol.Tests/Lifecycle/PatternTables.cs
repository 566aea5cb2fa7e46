using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Referrals;
using IntegrationHub.Protocol.Patterns;
using static IntegrationHub.Protocol.Tests.TestData;

namespace IntegrationHub.Protocol.Tests.Lifecycle;

/// <summary>PAT-01 (handbook 10.1.4, 11.2): keys normalised as docs/DOMAIN.md says, and when a pattern is alerted, updated or not.</summary>
public class PatternTables
{
    [Theory]
    [InlineData("AB12 CDE", "AB12CDE", "DOMAIN: VRM")]
    [InlineData("ab12cde", "AB12CDE", "DOMAIN: VRM")]
    [InlineData(" ab-12 cde ", "AB12CDE", "DOMAIN: VRM")]
    [InlineData("", null, "DOMAIN: VRM")]
    public void Vehicles_are_upper_case_without_spaces(string input, string? expected, string section) =>
        Assert.True(expected == PatternKeys.Vehicle(input), section);

    [Theory]
    [InlineData("07700 900123", "+447700900123", "DOMAIN: phone")]
    [InlineData("+44 7700 900123", "+447700900123", "DOMAIN: phone")]
    [InlineData("+44 (0)7700 900123", "+447700900123", "DOMAIN: phone")]
    [InlineData("0044 7700 900123", "+447700900123", "DOMAIN: phone")]
    [InlineData("447700900123", "+447700900123", "DOMAIN: phone")]
    [InlineData("(01793) 123456", "+441793123456", "DOMAIN: phone")]
    [InlineData("+33 6 12 34 56 78", "+33612345678", "DOMAIN: phone")]
    [InlineData("12345", null, "DOMAIN: phone")]
    [InlineData("7700 900123", "+447700900123", "DOMAIN: phone")] // leading 0 dropped (a spreadsheet's number): the same phone
    [InlineData("7700900123", "+447700900123", "DOMAIN: phone")]
    [InlineData("1793 123456", "+441793123456", "DOMAIN: phone")]
    [InlineData("(0)7700 900123", "+447700900123", "DOMAIN: phone")]
    [InlineData("4700900123", null, "DOMAIN: phone")] // no UK number starts 04 or 06
    [InlineData("6700900123", null, "DOMAIN: phone")]
    [InlineData("770090012", null, "DOMAIN: phone")] // nine or eleven digits without a 0 or 44: not taken as a UK number
    [InlineData("77009001234", null, "DOMAIN: phone")]
    [InlineData("not a phone", null, "DOMAIN: phone")]
    public void Phones_are_E164(string input, string? expected, string section) =>
        Assert.True(expected == PatternKeys.Phone(input), $"{section}: {PatternKeys.Phone(input)}");

    [Theory]
    [InlineData("sn12ab", "SN1 2AB", "DOMAIN: postcode")]
    [InlineData("SN1  2AB", "SN1 2AB", "DOMAIN: postcode")]
    [InlineData("ec1a1bb", "EC1A 1BB", "DOMAIN: postcode")]
    [InlineData("w1a 0ax", "W1A 0AX", "DOMAIN: postcode")]
    [InlineData("not a postcode", null, "DOMAIN: postcode")]
    public void Postcodes_are_in_standard_form(string input, string? expected, string section) =>
        Assert.True(expected == PatternKeys.Postcode(input), section);

    [Theory]
    [InlineData("John  Smith", "1990-01-31", "JOHN SMITH|1990-01-31", "10.1.4")]
    [InlineData("john smith", "1990-01-31", "JOHN SMITH|1990-01-31", "10.1.4")]
    [InlineData("John Smith", null, null, "10.1.4")] // a name alone is too common to link children
    [InlineData("Jon O'Brien", "1990-01-31", "JON OBRIEN|1990-01-31", "10.1.4")]
    [InlineData("Jon O\u2019Brien", "1990-01-31", "JON OBRIEN|1990-01-31", "10.1.4")] // typographic apostrophe: the same person
    [InlineData("Jon O\u2018Brien", "1990-01-31", "JON OBRIEN|1990-01-31", "10.1.4")]
    [InlineData("Jon O\u02BCBrien", "1990-01-31", "JON OBRIEN|1990-01-31", "10.1.4")]
    [InlineData("Jon O`Brien", "1990-01-31", "JON OBRIEN|1990-01-31", "10.1.4")]
    [InlineData("Jon OBrien", "1990-01-31", "JON OBRIEN|1990-01-31", "10.1.4")]
    [InlineData("Zo\u00EB Smith", "1990-01-31", "ZOE SMITH|1990-01-31", "10.1.4")] // accents folded: Zoë is Zoe
    [InlineData("Zoe\u0308 Smith", "1990-01-31", "ZOE SMITH|1990-01-31", "10.1.4")] // and Zoë written with a combining mark
    [InlineData("Zoe Smith", "1990-01-31", "ZOE SMITH|1990-01-31", "10.1.4")]
    [InlineData("Mary-Jane Smith", "1990-01-31", "MARY JANE SMITH|1990-01-31", "10.1.4")]
    public void Persons_are_keyed_by_name_and_date_of_birth(string name, string? dob, string? expected, string section) =>
        Assert.True(expected == PatternKeys.Person(name, dob is null ? null : DateOnly.Parse(dob, System.Globalization.CultureInfo.InvariantCulture)), section);

    [Theory]
    [InlineData("St Mary's Caf\u00E9", "ST MARYS CAFE")]
    [InlineData("St Mary\u2019s Cafe", "ST MARYS CAFE")]
    [InlineData("  the  Old-Mill ", "THE OLD MILL")]
    public void Places_and_aliases_drop_apostrophes_and_accents(string input, string expected)
    {
        Assert.Equal(expected, PatternKeys.Place(input));
        Assert.Equal(expected, PatternKeys.Alias(input));
    }

    [Fact]
    public void A_concern_yields_every_key_it_names_once()
    {
        var concern = Concern() with
        {
            PersonsOfConcern =
            [
                new PersonOfConcern { Name = "Jay Example", DateOfBirth = new DateOnly(1995, 5, 5), Aliases = ["J-Dog"], Vehicles = ["AB12 CDE", "ab12cde"], Phones = ["07700 900123"], OnlineHandles = ["@jay"] },
            ],
            Locations = [new Location { PlaceName = "The Old  Mill", Postcode = "sn12ab" }],
        };
        var keys = PatternExtraction.From(concern);
        Assert.Equal(
        [
            new PatternKey(PatternKey.Person, "JAY EXAMPLE|1995-05-05"), new PatternKey(PatternKey.Alias, "J DOG"),
            new PatternKey(PatternKey.Vehicle, "AB12CDE"), new PatternKey(PatternKey.Phone, "+447700900123"),
            new PatternKey(PatternKey.Handle, "jay"), new PatternKey(PatternKey.Postcode, "SN1 2AB"), new PatternKey(PatternKey.Place, "THE OLD MILL"),
        ], keys);
    }

    [Fact]
    public void A_UK_phone_without_its_leading_0_links_with_its_other_forms()
    {
        // Three agencies name one phone: one with the 0, one in international form, one from a spreadsheet that dropped the 0.
        var keys = new[] { "07700 900123", "+44 7700 900123", "7700 900123" }
            .Select(phone => Assert.Single(PatternExtraction.From(Concern() with { PersonsOfConcern = [new PersonOfConcern { Name = "Jay", Phones = [phone] }] })))
            .Distinct();
        Assert.Equal(new PatternKey(PatternKey.Phone, "+447700900123"), Assert.Single(keys));
        Assert.Empty(PatternExtraction.From(Concern() with { PersonsOfConcern = [new PersonOfConcern { Name = "Jay", Phones = ["12345", "6700900123", "unknown"] }] }));
    }

    [Fact]
    public void A_key_longer_than_its_column_is_a_digest_that_still_links()
    {
        var place = string.Join(' ', Enumerable.Repeat("Unit 4 Behind The Old Mill Industrial Estate", 7)); // 300+ characters
        Assert.True(place.Length > 300);
        var keys = PatternExtraction.From(Concern() with { Locations = [new Location { PlaceName = place }] });
        var key = Assert.Single(keys);
        Assert.Equal(PatternKey.Place, key.Kind);
        Assert.True(key.Value.Length <= 256, $"{key.Value.Length} characters");
        Assert.StartsWith("H:", key.Value);
        Assert.Equal(key, Assert.Single(PatternExtraction.From(Concern() with { Locations = [new Location { PlaceName = place.ToLowerInvariant() }] })));
        Assert.NotEqual(key, Assert.Single(PatternExtraction.From(Concern() with { Locations = [new Location { PlaceName = place + " 2" }] })));
        Assert.Equal("THE OLD MILL", new PatternKey(PatternKey.Place, "THE OLD MILL").Value); // a key that fits is kept as it is
        var fits = new string('A', 256); // patterns.Key and pattern_mentions.Key are varchar(256)
        Assert.Equal(fits, new PatternKey(PatternKey.Place, fits).Value);
    }

    [Theory]
    [InlineData(new[] { "a" }, new string[] { }, PatternOutcome.None, "11.2")]
    [InlineData(new[] { "a", "b" }, new string[] { }, PatternOutcome.Detected, "11.2")]
    [InlineData(new[] { "a", "b", "c" }, new[] { "a", "b" }, PatternOutcome.Updated, "11.2")]
    [InlineData(new[] { "a", "b" }, new[] { "a", "b" }, PatternOutcome.None, "11.2")]  // the same children again: no repeat
    [InlineData(new[] { "a" }, new[] { "a", "b" }, PatternOutcome.None, "11.2")]
    [InlineData(new[] { "c" }, new[] { "a", "b" }, PatternOutcome.None, "11.2")]  // a new child alone in the window: no pattern, no update
    [InlineData(new[] { "b", "c" }, new[] { "a", "b" }, PatternOutcome.Updated, "11.2")]
    public void PAT_01_two_distinct_children_alert_once_and_a_third_updates(string[] children, string[] alerted, PatternOutcome expected, string section) =>
        Assert.True(expected == PatternOfConcernRule.Evaluate(children, alerted, Options), section);

    [Theory]
    [InlineData(new[] { 0, 89 }, 2, "10.1.4")]
    [InlineData(new[] { 0, 90 }, 2, "10.1.4")]
    [InlineData(new[] { 0, 91 }, 1, "10.1.4")]
    public void PAT_01_links_children_within_ninety_days(int[] daysAgo, int linked, string section)
    {
        var mentions = daysAgo.Select((d, i) => ($"child-{i}", Now.AddDays(-d)));
        Assert.True(linked == PatternOfConcernRule.ChildrenInWindow(mentions, Now, Options).Count, section);
    }

    [Fact]
    public void PAT_01_one_child_named_twice_is_not_a_pattern()
    {
        var children = PatternOfConcernRule.ChildrenInWindow([("a", Now.AddDays(-3)), ("a", Now)], Now, Options);
        Assert.Equal(PatternOutcome.None, PatternOfConcernRule.Evaluate(children, [], Options));
    }

    [Theory]
    [InlineData(null, 0, false)]
    [InlineData(-89, 0, false)]
    [InlineData(-90, 0, false)]
    [InlineData(-91, 0, true)] // the last alert is older than the window: spent
    public void PAT_01_an_alert_older_than_the_window_is_spent(int? alertDaysAgo, int windowEndDaysAgo, bool lapsed) =>
        Assert.Equal(lapsed, PatternOfConcernRule.AlertLapsed(alertDaysAgo is { } d ? Now.AddDays(d) : null, Now.AddDays(windowEndDaysAgo), Options));

    [Fact]
    public void PAT_01_threshold_comes_from_configuration() =>
        Assert.Equal(PatternOutcome.None, PatternOfConcernRule.Evaluate(["a", "b"], [], new ProtocolOptions { PatternChildren = 3 }));
}
