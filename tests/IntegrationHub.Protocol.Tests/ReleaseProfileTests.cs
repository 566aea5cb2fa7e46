using IntegrationHub.Contracts.Common;
using IntegrationHub.Protocol.Release;
using static IntegrationHub.Protocol.Tests.TestData;

namespace IntegrationHub.Protocol.Tests;

public class ReleaseProfileTests
{
    private static readonly Contracts.Referrals.Concern Full = Concern(14) with
    {
        Trafficking = new TraffickingEvidence { Types = [TraffickingType.WithinUk], Vehicles = ["AB12CDE"] },
        Screening = new Screening { Outcome = ScreeningOutcome.Confirmed },
        PersonsOfConcern = [new PersonOfConcern { Name = "Dan Sample", Vehicles = ["XY34ZZZ"] }],
        Locations = [new Location { PlaceName = "Car park", Postcode = "SN2 1AA" }],
    };

    [Theory]
    [InlineData("child.nhsNumber", "PROTOCOL.md recipients")]
    [InlineData("child.givenName", "PROTOCOL.md recipients")]
    [InlineData("child.familyName", "PROTOCOL.md recipients")]
    [InlineData("child.dateOfBirth", "PROTOCOL.md recipients")]
    [InlineData("child.address", "PROTOCOL.md recipients")]
    [InlineData("child.postcode", "PROTOCOL.md recipients")]
    [InlineData("narrative", "13.1")]
    public void Marp_never_receives_identifiers(string field, string section)
    {
        Assert.Contains(field, ReleaseProfiles.For(Recipient.Marp).Withheld);
        _ = section;
    }

    [Fact]
    public void Marp_cut_keeps_the_age_persons_locations_and_vehicles()
    {
        var cut = ReleaseProfiles.Cut(Full, Recipient.Marp, Now);
        Assert.Equal(14, cut.Child.AgeYears);
        Assert.Null(cut.Child.NhsNumber);
        Assert.Null(cut.Child.DateOfBirth);
        Assert.Null(cut.Child.Postcode);
        Assert.Equal("", cut.Narrative);
        Assert.Equal("XY34ZZZ", Assert.Single(cut.PersonsOfConcern).Vehicles[0]);
        Assert.Single(cut.Locations);
    }

    [Theory]
    [InlineData(Recipient.Marp)]
    [InlineData(Recipient.MissingCoordinator)]
    public void A_recipient_without_the_referrer_gets_nothing_of_it_not_even_the_service(Recipient recipient)
    {
        Assert.Contains("referrer", ReleaseProfiles.For(recipient).Withheld);
        Assert.NotEqual(ReferrerService.NotKnown, Full.Referrer.Service);

        Assert.Equal(new Referrer(), ReleaseProfiles.Cut(Full, recipient, Now).Referrer);
    }

    [Theory]
    [InlineData("child.disability")]
    [InlineData("child.learningDisability")]
    [InlineData("child.communicationDifficulty")]
    [InlineData("screening")]
    [InlineData("signs")]
    [InlineData("riskIndicators")]
    public void Lado_never_receives_health_detail(string field) => Assert.Contains(field, ReleaseProfiles.For(Recipient.Lado).Withheld);

    [Theory]
    [InlineData("child.givenName")]
    [InlineData("personsOfConcern")]
    [InlineData("sexualActivity")]
    [InlineData("narrative")]
    public void Lado_receives_the_child_the_allegation_and_the_person(string field) => Assert.Contains(field, ReleaseProfiles.For(Recipient.Lado).Released);

    [Theory]
    [InlineData("screening", false)]
    [InlineData("child.disability", false)]
    [InlineData("child.communicationDifficulty", false)]
    [InlineData("trafficking", true)]
    [InlineData("personsOfConcern", true)]
    [InlineData("locations", true)]
    [InlineData("child.nhsNumber", true)]
    [InlineData("riskIndicators", true)] // injuries and STIs can be evidence
    public void Police_get_evidence_not_health_records(string field, bool released) =>
        Assert.Equal(released, ReleaseProfiles.For(Recipient.Police).Allows(field));

    [Fact]
    public void Missing_coordinator_gets_identity_and_the_exploitation_flag_only()
    {
        Assert.Equal(
            ["child.nhsNumber", "child.localChildId", "child.givenName", "child.familyName", "child.dateOfBirth", "child.ageYears", "child.sex", "exploitationType"],
            ReleaseProfiles.For(Recipient.MissingCoordinator).Released);
        var cut = ReleaseProfiles.Cut(Full, Recipient.MissingCoordinator, Now);
        Assert.Null(cut.Referrer.Name);
        Assert.Null(cut.Child.Address);
        Assert.Empty(cut.PersonsOfConcern);
    }

    [Fact]
    public void Mash_gets_the_full_record() => Assert.Empty(ReleaseProfiles.For(Recipient.Mash).Withheld);

    [Fact]
    public void Every_field_is_either_released_or_withheld_for_every_recipient()
    {
        foreach (var r in Enum.GetValues<Recipient>())
        {
            var p = ReleaseProfiles.For(r);
            Assert.Equal(ReleaseProfiles.AllFields.Order(), p.Released.Concat(p.Withheld).Order());
        }
    }

    [Fact]
    public void An_anonymous_consultation_strips_every_copy()
    {
        var cut = ReleaseProfiles.Cut(Full, Recipient.Mash, Now, [ProtocolFlags.AnonymousConsultation]);
        Assert.Null(cut.Child.NhsNumber);
        Assert.Null(cut.Child.FamilyName);
        Assert.Equal(14, cut.Child.AgeYears);
        Assert.Contains("child.nhsNumber", ReleaseProfiles.For(Recipient.Mash, anonymousConsultation: true).Withheld);
    }
}
