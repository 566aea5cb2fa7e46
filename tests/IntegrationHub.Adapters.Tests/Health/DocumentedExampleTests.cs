using System.Text.Json;
using Hl7.Fhir.Serialization;
using IntegrationHub.Adapters.Health;
using IntegrationHub.Contracts.Common;
using IssueType = Hl7.Fhir.Model.OperationOutcome.IssueType;

namespace IntegrationHub.Adapters.Tests.Health;

/// <summary>The example bundles in docs/examples/fhir map (or fail) exactly as docs/fhir.md says.</summary>
public class When_the_documented_examples_are_read
{
    private static AdapterResult ReadExample(string name) => TestFiles.Adapter().Read(TestFiles.Example(name), FhirFormat.Json);

    private static readonly string[] Accepted = ["referral-message.json", "referral-collection.json", "referral-trafficking.json"];

    public static TheoryData<string> AcceptedExamples() => new(Accepted);

    [Theory]
    [MemberData(nameof(AcceptedExamples))]
    public void Should_map_to_the_golden_concern(string example)
    {
        var success = Assert.IsType<AdapterResult.Success>(ReadExample(example));

        var golden = Path.Combine(TestFiles.GoldenFolder, Path.ChangeExtension(example, ".concern.json"));
        TestFiles.AssertMatchesGolden(golden, JsonSerializer.Serialize(success.Concern, TestFiles.ConcernJson));
    }

    [Theory]
    [MemberData(nameof(AcceptedExamples))]
    public void Should_map_the_same_when_sent_as_xml(string example)
    {
        var (resource, _) = HealthFhirAdapter.Parse(TestFiles.Example(example), FhirFormat.Json);
        var xml = FhirXmlSerializer.Default.SerializeToString(resource!);

        var fromXml = Assert.IsType<AdapterResult.Success>(TestFiles.Adapter().Read(xml, FhirFormat.Xml));
        var fromJson = Assert.IsType<AdapterResult.Success>(ReadExample(example));

        Assert.Equal(JsonSerializer.Serialize(fromJson.Concern, TestFiles.ConcernJson), JsonSerializer.Serialize(fromXml.Concern, TestFiles.ConcernJson));
    }

    [Fact]
    public void The_message_example_maps_its_key_fields()
    {
        var success = Assert.IsType<AdapterResult.Success>(ReadExample("referral-message.json"));
        var concern = success.Concern;

        Assert.Equal("LTH-SG-2025-0042", concern.SenderReference);
        Assert.Equal("9990000018", concern.Child.NhsNumber);
        Assert.Equal("LS99 9ZZ", concern.Child.Postcode);
        Assert.Equal(("Sam Example", "Emergency department nurse", ReferrerService.Hospital, "RR8", "ed.safeguarding@example.nhs.uk"),
            (concern.Referrer.Name, concern.Referrer.Role, concern.Referrer.Service, concern.Referrer.OrganisationCode, concern.Referrer.SecureContact));
        Assert.False(concern.ImmediateRisk); // priority asap is not immediate risk
        Assert.Equal(ExploitationType.Sexual, concern.ExploitationType);
        Assert.Equal([Sign.UnexplainedGifts, Sign.OlderBoyfriendOrGirlfriend], concern.Signs);
        Assert.Equal([RiskIndicator.GoingMissing], concern.RiskIndicators); // substance dependency was recorded as absent
        Assert.Equal([AssessmentFactor.SubstancesAsDisinhibitor], concern.AssessmentFactors);
        var person = Assert.Single(concern.PersonsOfConcern);
        Assert.Equal(("Jay", "Older boyfriend", 25), (person.Name, person.Role, person.AgeYears));
        Assert.Equal(["J-Man"], person.Aliases);
        Assert.Equal("Example Retail Park car park", Assert.Single(concern.Locations).PlaceName);
        Assert.Empty(success.Warnings);
    }

    [Fact]
    public void The_collection_example_is_immediate_risk_for_a_looked_after_child()
    {
        var success = Assert.IsType<AdapterResult.Success>(ReadExample("referral-collection.json"));

        Assert.True(success.Concern.ImmediateRisk); // priority stat
        Assert.Equal(LegalStatus.LookedAfter, success.Concern.Child.LegalStatus);
        Assert.True(success.Concern.Child.LearningDisability);
        Assert.Equal(("Dr Priya Example", ReferrerService.GeneralPractice, "B82005"),
            (success.Concern.Referrer.Name, success.Concern.Referrer.Service, success.Concern.Referrer.OrganisationCode));
        Assert.Empty(success.Warnings);
    }

    [Fact]
    public void The_trafficking_example_carries_the_trafficking_evidence_and_warns_about_its_unknown_code()
    {
        var success = Assert.IsType<AdapterResult.Success>(ReadExample("referral-trafficking.json"));
        var concern = success.Concern;

        Assert.NotNull(concern.Trafficking);
        Assert.Equal([TraffickingType.WithinUk], concern.Trafficking.Types);
        Assert.Equal(ExploitationType.Criminal, concern.ExploitationType);
        Assert.True(concern.ChildMayBeExploitingOthers);
        Assert.Equal([Sign.MovingAroundCountry, Sign.CarsWithUnknownAdults, Sign.RecruitingOtherChildren], concern.Signs);
        var warning = Assert.Single(success.Warnings);
        Assert.Equal((IssueType.CodeInvalid, "Bundle.entry[5].resource.code.coding[3].code"), (warning.Code, warning.Expression));
    }

    [Fact]
    public void The_invalid_example_is_refused_at_the_nhs_number()
    {
        var failure = Assert.IsType<AdapterResult.Failure>(ReadExample("invalid-nhs-number.json"));

        Assert.Equal(422, failure.StatusCode);
        var error = Assert.Single(failure.Issues, i => i.Severity == Hl7.Fhir.Model.OperationOutcome.IssueSeverity.Error);
        Assert.Equal((IssueType.Value, "Bundle.entry[1].resource.identifier[0].value"), (error.Code, error.Expression));
        TestFiles.AssertMatchesGolden(
            Path.Combine(TestFiles.ExamplesFolder, "invalid-nhs-number.outcome.json"),
            FhirJson.Serialize(failure.ToOperationOutcome(), pretty: true));
    }

    [Fact]
    public void Every_example_file_is_tested()
    {
        var tested = Accepted
            .Concat(["invalid-nhs-number.json", "invalid-nhs-number.outcome.json", "CodeSystem-safeguarding-indicator.json"]);

        Assert.Equal(
            tested.Order(StringComparer.Ordinal),
            Directory.GetFiles(TestFiles.ExamplesFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
