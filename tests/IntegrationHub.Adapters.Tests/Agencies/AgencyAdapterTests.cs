using System.Text;
using IntegrationHub.Adapters.Education;
using IntegrationHub.Adapters.Inbound;
using IntegrationHub.Adapters.Police;
using IntegrationHub.Adapters.Probation;
using IntegrationHub.Adapters.Yot;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.MissingEpisodes;
using IntegrationHub.Contracts.Referrals;

namespace IntegrationHub.Adapters.Tests.Agencies;

public sealed class AgencyAdapterTests
{
    private static byte[] Example(string agency, string kind)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "IntegrationHub.sln"))) dir = dir.Parent;
        return File.ReadAllBytes(Path.Combine(dir.FullName, "docs", "examples", agency, kind + ".json"));
    }

    private static T Ok<T>(InboundResult result)
    {
        Assert.True(result.Ok, string.Join("; ", result.Problems.Select(p => $"{p.Field}: {p.Message}")));
        return Assert.IsType<T>(result.Message);
    }

    [Fact]
    public void PPD1_maps_the_officer_subject_incident_and_persons()
    {
        var concern = Ok<Concern>(PoliceAdapter.ReadPpd1(Example("police", "Ppd1Notification")));

        Assert.Equal("PPD1-WI-2026-004512", concern.SenderReference);
        Assert.Equal("9990000026", concern.Child.NhsNumber);
        Assert.Equal(LegalStatus.LookedAfter, concern.Child.LegalStatus);
        Assert.Equal(ReferrerService.PoliceOfficer, concern.Referrer.Service);
        Assert.Equal("WI", concern.Referrer.OrganisationCode);
        Assert.Equal("DS Jo Lead", concern.NamedLead!.Name);
        Assert.Equal(ExploitationType.Sexual, concern.ExploitationType);
        Assert.Equal(["AB12 CDE"], concern.PersonsOfConcern[0].Vehicles);
        Assert.Equal(["Kaz"], concern.PersonsOfConcern[1].Aliases);
        Assert.StartsWith("Riley was found", concern.Narrative);
    }

    [Fact]
    public void Missing_and_found_reports_map_to_the_lifecycle_contracts()
    {
        var missing = Ok<ChildReportedMissing>(PoliceAdapter.ReadMissingPersonReport(Example("police", "MissingPersonReport")));
        var found = Ok<ChildFound>(PoliceAdapter.ReadFoundReport(Example("police", "FoundReport")));

        Assert.Equal(MissingFrom.Care, missing.MissingFrom);
        Assert.Equal(PoliceRiskGrade.High, missing.RiskGrade);
        Assert.True(missing.KnownCseRisk);
        Assert.Equal(missing.PoliceReference, found.PoliceReference);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 2, 15, 0, TimeSpan.Zero), found.ReturnedAt);
        Assert.True(found.CrimeSuspected);
    }

    [Fact]
    public void A_DSL_concern_counts_persistent_absence_as_disengagement_and_keeps_the_exclusion_risk()
    {
        var concern = Ok<Concern>(EducationAdapter.Read(Example("education", "DslConcern")));

        Assert.Contains(Sign.DisengagedFromEducation, concern.Signs);
        Assert.Contains(RiskIndicator.EducationDisengagement, concern.RiskIndicators);
        Assert.True(concern.AtRiskOfExclusion);
        Assert.Equal(SchoolPhase.Secondary, concern.SchoolPhase);
        Assert.Equal("Ms Dee Lead", concern.NamedLead!.Name);
        Assert.Equal("Mr Tom Tutor", concern.Referrer.Name);
        Assert.Equal("123456", concern.Child.SchoolUrn);
    }

    [Fact]
    public void A_probation_concern_names_the_line_manager_as_lead_and_the_supervised_adult_as_a_person_of_concern()
    {
        var concern = Ok<Concern>(ProbationAdapter.Read(Example("probation", "ProbationConcern")));

        Assert.Equal("Mr Lee Manager", concern.NamedLead!.Name);
        Assert.Equal(ReferrerService.Probation, concern.Referrer.Service);
        var adult = concern.PersonsOfConcern[0];
        Assert.Equal(34, adult.AgeYears);
        Assert.Contains("registered sex offender", adult.Role);
        Assert.Equal(["XY34 ZZZ"], adult.Vehicles);
    }

    [Fact]
    public void A_YOT_concern_carries_that_the_child_may_be_exploiting_others()
    {
        var concern = Ok<Concern>(YotAdapter.Read(Example("yot", "YotConcern")));

        Assert.True(concern.ChildMayBeExploitingOthers);
        Assert.Equal(ReferrerService.YouthOffending, concern.Referrer.Service);
        Assert.Equal(ExploitationType.Both, concern.ExploitationType);
    }

    [Theory]
    [InlineData("""{"yotReference": "y", "worker": {"name": "w"}, "child": {}, "summary": "  "}""", "summary")]
    [InlineData("""{"yotReference": "y", "worker": {"name": "w"}, "child": {"nhsNumber": "9990000019"}, "summary": "s"}""", "child.nhsNumber")]
    [InlineData("""{"yotReference": "y", "child": {}, "summary": "s"}""", "worker")]
    [InlineData("""{"yotReference": "y", "worker": {"name": "w"}, "child": {}, "summary": "s", "colour": 1}""", "colour")]
    public void Problems_name_the_field_in_the_senders_format(string body, string field)
    {
        var result = YotAdapter.Read(Encoding.UTF8.GetBytes(body));

        Assert.False(result.Ok);
        Assert.Contains(field, result.Problems.Select(p => p.Field));
    }
}
