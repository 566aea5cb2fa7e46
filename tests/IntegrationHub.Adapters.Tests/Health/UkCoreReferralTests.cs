using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using IntegrationHub.Adapters.Health;
using IntegrationHub.Contracts.Common;
using IssueType = Hl7.Fhir.Model.OperationOutcome.IssueType;

namespace IntegrationHub.Adapters.Tests.Health;

/// <summary>A referral built from the UK Core examples as published, with only the hub's own additions.</summary>
public class When_a_referral_is_built_from_uk_core_resources
{
    private static T Fixture<T>(string name) where T : Resource =>
        (T)HealthFhirAdapter.Parse(TestFiles.UkCore(name + ".json"), FhirFormat.Json).Resource!;

    private static Bundle Referral()
    {
        var patient = Fixture<Patient>("UKCore-Patient-RichardSmith-Example");
        // Synthetic data only: swap the published number for one from the 999 test range.
        patient.Identifier[0].Value = "9990000018";

        var request = Fixture<ServiceRequest>("UKCore-ServiceRequest-ColonoscopyRequest-Example");
        request.Requester = new ResourceReference("PractitionerRole/UKCore-PractitionerRole-GeneralPractitioner-Example");
        request.ReasonCode.Add(new CodeableConcept(HealthCodeSystem.Url, HealthCodeSystem.CodeFor(Sign.BehaviourChange)));

        var role = Fixture<PractitionerRole>("UKCore-PractitionerRole-GeneralPractitioner-Example");
        role.Organization = new ResourceReference("Organization/UKCore-Organization-LeedsTeachingHospital-Example");

        var indicator = Fixture<Flag>("UKCore-Flag-FoodAllergy-Example");
        indicator.Id = "safeguarding-flag";
        indicator.Code = new CodeableConcept(HealthCodeSystem.Url, HealthCodeSystem.CodeFor(PushFactor.DomesticAbuse));

        var bundle = new Bundle { Type = Bundle.BundleType.Collection };
        foreach (var resource in new Resource[]
                 {
                     request, patient, role,
                     Fixture<Practitioner>("UKCore-Practitioner-DoctorPaulRastall-Example"),
                     Fixture<Organization>("UKCore-Organization-LeedsTeachingHospital-Example"),
                     Fixture<RelatedPerson>("UKCore-RelatedPerson-JoySmith-Example"),
                     Fixture<Flag>("UKCore-Flag-FoodAllergy-Example"),
                     indicator,
                 })
        {
            bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = $"https://fhir.hl7.org.uk/{resource.TypeName}/{resource.Id}", Resource = resource });
        }

        return bundle;
    }

    private static AdapterResult.Success Read()
    {
        var result = TestFiles.Adapter().Read(FhirJson.Serialize(Referral()), FhirFormat.Json);
        return Assert.IsType<AdapterResult.Success>(result);
    }

    [Fact]
    public void Should_map_the_patient_to_the_child()
    {
        var child = Read().Concern.Child;

        Assert.Equal("9990000018", child.NhsNumber);
        Assert.Equal("Richard", child.GivenName);
        Assert.Equal("SMITH", child.FamilyName);
        Assert.Equal(new DateOnly(1970, 9, 11), child.DateOfBirth);
        Assert.Equal("male", child.Sex);
        Assert.Equal("Mixed - Any other mixed background", child.Ethnicity);
        Assert.Equal("4 Sandmoor Drive, LEEDS", child.Address);
        Assert.Equal("LS17 7DF", child.Postcode);
    }

    [Fact]
    public void Should_map_the_practitioner_role_to_the_referrer()
    {
        var referrer = Read().Concern.Referrer;

        Assert.Equal("Dr Paul Rastall", referrer.Name);
        Assert.Equal("General practitioner", referrer.Role);
        Assert.Equal(ReferrerService.GeneralPractice, referrer.Service);
        Assert.Equal("RR8", referrer.OrganisationCode);
        Assert.Equal("0113 6323200", referrer.SecureContact);
    }

    [Fact]
    public void Should_map_the_service_request_and_the_hub_codes()
    {
        var read = Read();
        var concern = read.Concern;

        Assert.Equal("Swollen abdomen", concern.Narrative);
        Assert.Equal(new DateTimeOffset(2021, 10, 13, 16, 20, 27, TimeSpan.FromHours(7)), concern.OccurredAt);
        Assert.Equal([Sign.BehaviourChange], concern.Signs);
        // The food-allergy Flag is SNOMED coded: not the hub's system, so it is neither mapped nor warned about.
        Assert.Equal([PushFactor.DomesticAbuse], concern.PushFactors);
        Assert.False(concern.ImmediateRisk);
        Assert.Empty(read.Warnings);
    }

    [Fact]
    public void Should_map_the_related_person_to_a_person_of_concern()
    {
        var person = Assert.Single(Read().Concern.PersonsOfConcern);

        Assert.Equal("Joy SMITH", person.Name);
        Assert.Equal("wife", person.Role);
        Assert.Null(person.AgeYears);
    }

    [Fact]
    public void Should_refuse_the_baby_patient_example_whose_nhs_number_fails_the_check()
    {
        var bundle = Referral();
        var baby = Fixture<Patient>("UKCore-Patient-BabyPatient-Example");
        bundle.Entry[1].Resource = baby;
        bundle.Entry[1].FullUrl = $"https://fhir.hl7.org.uk/Patient/{baby.Id}";
        ((ServiceRequest)bundle.Entry[0].Resource!).Subject = new ResourceReference($"Patient/{baby.Id}");

        var failure = Assert.IsType<AdapterResult.Failure>(TestFiles.Adapter().Read(FhirJson.Serialize(bundle), FhirFormat.Json));

        // The UK Core Flags are about Richard Smith, not this child: they are ignored with warnings.
        var issue = Assert.Single(failure.Issues, i => i.Severity == OperationOutcome.IssueSeverity.Error);
        Assert.Equal(IssueType.Value, issue.Code);
        Assert.Equal("Bundle.entry[1].resource.identifier[0].value", issue.Expression);
        Assert.Equal(422, failure.StatusCode);
    }

    [Fact]
    public void Should_read_the_same_referral_sent_as_xml()
    {
        var xml = FhirXmlSerializer.Default.SerializeToString(Referral());

        var fromXml = Assert.IsType<AdapterResult.Success>(TestFiles.Adapter().Read(xml, FhirFormat.Xml));

        var fromJson = Read();
        Assert.Equal(
            System.Text.Json.JsonSerializer.Serialize(fromJson.Concern, TestFiles.ConcernJson),
            System.Text.Json.JsonSerializer.Serialize(fromXml.Concern, TestFiles.ConcernJson));
    }
}
