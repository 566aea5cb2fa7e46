using IntegrationHub.Contracts.Common;
using Hl7.Fhir.Model;
using IntegrationHub.Adapters.Health;

namespace IntegrationHub.Adapters.Tests.Health;

/// <summary>A small valid referral to break one piece at a time: entry 0 ServiceRequest, 1 Patient, 2 Practitioner.</summary>
internal static class ReferralBuilder
{
    public const string RequestUrl = "urn:uuid:00000000-0000-4000-8000-000000000001";
    public const string PatientUrl = "urn:uuid:00000000-0000-4000-8000-000000000002";
    public const string PractitionerUrl = "urn:uuid:00000000-0000-4000-8000-000000000003";

    public static Bundle Collection(Action<ServiceRequest, Patient>? change = null)
    {
        var request = new ServiceRequest
        {
            Status = RequestStatus.Active,
            Intent = RequestIntent.Order,
            Subject = new ResourceReference(PatientUrl),
            Requester = new ResourceReference(PractitionerUrl),
            Note = [new Annotation { Text = new Markdown("Concern about a 14-year-old seen with an older adult.") }],
        };
        var patient = new Patient
        {
            Identifier = [new Identifier(NhsNumber.System, "9990000018")],
            Name = [new HumanName { Family = "TESTCHILD", Given = ["Ava"] }],
            BirthDate = "2011-01-01",
        };
        var practitioner = new Practitioner { Name = [new HumanName { Family = "Example", Given = ["Sam"] }] };
        change?.Invoke(request, patient);

        return new Bundle
        {
            Type = Bundle.BundleType.Collection,
            Entry =
            [
                new Bundle.EntryComponent { FullUrl = RequestUrl, Resource = request },
                new Bundle.EntryComponent { FullUrl = PatientUrl, Resource = patient },
                new Bundle.EntryComponent { FullUrl = PractitionerUrl, Resource = practitioner },
            ],
        };
    }

    public static Flag IndicatorFlag(params string[] codes)
    {
        var code = new CodeableConcept();
        foreach (var c in codes)
        {
            code.Coding.Add(new Coding(HealthCodeSystem.Url, c));
        }

        return new Flag { Status = Flag.FlagStatus.Active, Code = code, Subject = new ResourceReference(PatientUrl) };
    }

    public static Bundle With(this Bundle bundle, Resource resource)
    {
        bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = $"urn:uuid:{Guid.NewGuid()}", Resource = resource });
        return bundle;
    }

    public static AdapterResult Read(this Bundle bundle) => TestFiles.Adapter().Read(FhirJson.Serialize(bundle), FhirFormat.Json);
}
