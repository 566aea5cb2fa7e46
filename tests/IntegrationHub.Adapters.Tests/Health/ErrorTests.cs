using System.Text;
using IntegrationHub.Contracts.Common;
using Hl7.Fhir.Model;
using IntegrationHub.Adapters.Health;
using IssueType = Hl7.Fhir.Model.OperationOutcome.IssueType;
using IssueSeverity = Hl7.Fhir.Model.OperationOutcome.IssueSeverity;

namespace IntegrationHub.Adapters.Tests.Health;

/// <summary>Each way a body can be wrong gives the issue code, FHIRPath and HTTP status that docs/fhir.md promises.</summary>
public class When_a_body_is_refused
{
    public static TheoryData<string, string, FhirFormat, IssueType, string?, int> Cases() => new()
    {
        { "malformed JSON", "{\"resourceType\": \"Bundle\",\n  \"type\": \"message\",\n  \"entry\": [ {", FhirFormat.Json, IssueType.Structure, null, 400 },
        { "not JSON at all", "referral for Ava", FhirFormat.Json, IssueType.Structure, null, 400 },
        { "empty body", "  ", FhirFormat.Json, IssueType.Structure, null, 400 },
        { "malformed XML", "<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"message\"/>", FhirFormat.Xml, IssueType.Structure, null, 400 },
        { "XML with a DTD", "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"collection\"/></Bundle>", FhirFormat.Xml, IssueType.Structure, null, 400 },
        { "JSON sent as XML", "{\"resourceType\":\"Bundle\"}", FhirFormat.Xml, IssueType.Structure, null, 400 },
        { "unknown element (strict)", "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{\"resource\":{\"resourceType\":\"Patient\",\"nhsNumber\":\"9990000018\"}}]}", FhirFormat.Json, IssueType.Value, "Bundle.entry[0].resource.nhsNumber", 400 },
        { "invalid date", "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{\"resource\":{\"resourceType\":\"Patient\",\"birthDate\":\"2011-13-45\"}}]}", FhirFormat.Json, IssueType.Value, "Bundle.entry[0].resource.birthDate", 400 },
        { "not a Bundle", TestFiles.UkCore("UKCore-Patient-RichardSmith-Example.json"), FhirFormat.Json, IssueType.Invalid, "resourceType", 422 },
        { "a batch Bundle", TestFiles.UkCore("UKCore-Bundle-Batch-Example.json"), FhirFormat.Json, IssueType.NotSupported, "Bundle.type", 422 },
        { "a message whose first entry is not a MessageHeader", Json(ReferralBuilder.Collection(), b => b.Type = Bundle.BundleType.Message), FhirFormat.Json, IssueType.Invalid, "Bundle.entry[0].resource", 422 },
        { "no ServiceRequest", Json(ReferralBuilder.Collection(), b => b.Entry.RemoveAt(0)), FhirFormat.Json, IssueType.Required, "Bundle.entry", 422 },
        { "two ServiceRequests", Json(ReferralBuilder.Collection(), b => b.Entry.Add(new Bundle.EntryComponent { Resource = new ServiceRequest { Status = RequestStatus.Active, Intent = RequestIntent.Order, Subject = new ResourceReference(ReferralBuilder.PatientUrl) } })), FhirFormat.Json, IssueType.Invalid, "Bundle.entry[3].resource", 422 },
        { "no Patient", Json(ReferralBuilder.Collection(), b => b.Entry.RemoveAt(1)), FhirFormat.Json, IssueType.Required, "Bundle.entry", 422 },
        { "subject not in the bundle", Json(ReferralBuilder.Collection((r, _) => r.Subject = new ResourceReference("Patient/elsewhere"))), FhirFormat.Json, IssueType.NotFound, "Bundle.entry[0].resource.subject.reference", 422 },
        { "bad NHS number check digit", Json(ReferralBuilder.Collection((_, p) => p.Identifier[0].Value = "9990000019")), FhirFormat.Json, IssueType.Value, "Bundle.entry[1].resource.identifier[0].value", 422 },
        { "NHS number too short", Json(ReferralBuilder.Collection((_, p) => { p.Identifier.Insert(0, new Identifier("https://example.org/mrn", "A1")); p.Identifier[1].Value = "999000001"; })), FhirFormat.Json, IssueType.Value, "Bundle.entry[1].resource.identifier[1].value", 422 },
        { "a message whose focus is not the ServiceRequest", Json(ReferralBuilder.Collection(), b => AsMessage(b, ReferralBuilder.PatientUrl)), FhirFormat.Json, IssueType.Invalid, "Bundle.entry[0].resource.focus[0]", 422 },
        { "several Patients and a subject with no reference", Json(ReferralBuilder.Collection((r, _) => r.Subject = new ResourceReference { Identifier = new Identifier(NhsNumber.System, "9990000018") }), b => b.With(new Patient { Gender = AdministrativeGender.Male })), FhirFormat.Json, IssueType.Required, "Bundle.entry[0].resource.subject", 422 },
        { "no narrative and no indicators", Json(ReferralBuilder.Collection((r, _) => r.Note.Clear())), FhirFormat.Json, IssueType.Required, "Bundle.entry[0].resource.note", 422 },
    };

    private static void AsMessage(Bundle bundle, string focus)
    {
        bundle.Type = Bundle.BundleType.Message;
        bundle.Entry.Insert(0, new Bundle.EntryComponent
        {
            FullUrl = "urn:uuid:00000000-0000-4000-8000-000000000010",
            Resource = new MessageHeader
            {
                Event = new Coding("https://fhir.integrationhub.dev/CodeSystem/message-event", "safeguarding-referral"),
                Source = new MessageHeader.MessageSourceComponent { Endpoint = "https://sender.example" },
                Focus = [new ResourceReference(focus)],
            },
        });
    }

    [Fact]
    public void Should_take_the_only_patient_when_the_subject_has_no_reference()
    {
        var bundle = ReferralBuilder.Collection((r, _) => r.Subject = new ResourceReference { Identifier = new Identifier(NhsNumber.System, "9990000018") });

        var success = Assert.IsType<AdapterResult.Success>(bundle.Read());

        Assert.Equal("9990000018", success.Concern.Child.NhsNumber);
    }

    [Fact]
    public void Should_accept_a_message_whose_focus_is_the_service_request()
    {
        var bundle = ReferralBuilder.Collection();
        AsMessage(bundle, ReferralBuilder.RequestUrl);

        Assert.IsType<AdapterResult.Success>(bundle.Read());
    }

    private static string Json(Bundle bundle, Action<Bundle>? change = null)
    {
        change?.Invoke(bundle);
        return FhirJson.Serialize(bundle);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Should_give_the_documented_issue(string situation, string body, FhirFormat format, IssueType code, string? expression, int status)
    {
        var result = TestFiles.Adapter().Read(body, format);

        var failure = Assert.IsType<AdapterResult.Failure>(result);
        var issue = failure.Issues.FirstOrDefault(i => i.Severity == IssueSeverity.Error && i.Code == code);
        Assert.True(issue is not null, $"{situation}: no {code} error among {string.Join("; ", failure.Issues)}");
        Assert.Equal(expression, issue.Expression);
        Assert.Equal(status, failure.StatusCode);
    }

    [Theory]
    // Shapes the SDK's deserializer throws InvalidOperationException for, found by fuzzing the endpoint: still a 400.
    [InlineData("""{"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {"resourceType": "Observation", "status": "final", "code": {"coding": [{"code": {"x": 1}}]}}}]}""")]
    [InlineData("""{"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {"resourceType": "Flag", "status": "active", "code": {"coding": [{"code": ["a", {"b": 2}]}]}}}]}""")]
    public void Should_refuse_an_object_where_a_primitive_belongs_as_structure_not_crash(string body)
    {
        var result = new HealthFhirAdapter().Read(body, FhirFormat.Json);

        var failure = Assert.IsType<AdapterResult.Failure>(result);
        Assert.Equal(400, failure.StatusCode);
    }

    [Theory]
    // Over AMQP a refusal's text reaches the broker's fault header, MassTransit's log and the consume span: the values
    // the sender wrote (a mistyped NHS number, a date of birth) must not be in it; the path says where the problem is.
    [InlineData("9990000019", "bad NHS number")]
    [InlineData("2011-13-45", "invalid date")]
    [InlineData("2011-02-30", "impossible date")]
    [InlineData("Patient/9990000018", "subject not in the bundle")]
    [InlineData("Ava Testchild", "a name where a code belongs")]
    public void Should_not_repeat_the_value_it_refuses(string value, string situation)
    {
        var body = situation switch
        {
            "bad NHS number" => Json(ReferralBuilder.Collection((_, p) => p.Identifier[0].Value = value)),
            "subject not in the bundle" => Json(ReferralBuilder.Collection((r, _) => r.Subject = new ResourceReference(value))),
            "a name where a code belongs" => $$$"""{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","gender":"{{{value}}}"}}]}""",
            _ => $$$"""{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","birthDate":"{{{value}}}"}}]}""",
        };

        var failure = Assert.IsType<AdapterResult.Failure>(TestFiles.Adapter().Read(body, FhirFormat.Json));

        Assert.NotEmpty(failure.Issues);
        Assert.All(failure.Issues, i => Assert.DoesNotContain(value, i.Message, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(failure.Issues, i => i.Expression is not null);
    }

    [Fact]
    public void Should_refuse_bytes_that_are_not_utf8_saying_where_and_skip_a_byte_order_mark()
    {
        var json = Json(ReferralBuilder.Collection((_, p) => p.Name[0].Given = ["Zoë"]));
        var latin1 = Encoding.Latin1.GetBytes(json);

        var refused = Assert.IsType<AdapterResult.Failure>(TestFiles.Adapter().Read(latin1, FhirFormat.Json));
        Assert.Equal(400, refused.StatusCode);
        Assert.Contains($"not UTF-8 at byte {Array.IndexOf(latin1, (byte)0xEB) + 1}", Assert.Single(refused.Issues).Message, StringComparison.Ordinal);

        var withMark = Encoding.UTF8.Preamble.ToArray().Concat(Encoding.UTF8.GetBytes(json)).ToArray();
        var read = Assert.IsType<AdapterResult.Success>(TestFiles.Adapter().Read(withMark, FhirFormat.Json));
        Assert.Equal("Zoë", read.Concern.Child.GivenName);
    }

    [Fact]
    public void Should_say_where_malformed_json_breaks()
    {
        var failure = (AdapterResult.Failure)TestFiles.Adapter().Read("{\"resourceType\": \"Bundle\",\n  \"type\": \"message\",\n  \"entry\": [ {", FhirFormat.Json);

        Assert.Contains("line 3", Assert.Single(failure.Issues).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_turn_a_failure_into_an_operation_outcome_with_paths()
    {
        var failure = (AdapterResult.Failure)ReferralBuilder.Collection((_, p) => p.Identifier[0].Value = "9990000019").Read();

        var json = FhirJson.Serialize(failure.ToOperationOutcome());

        var outcome = (OperationOutcome)HealthFhirAdapter.Parse(json, FhirFormat.Json).Resource!;
        var issue = Assert.Single(outcome.Issue);
        Assert.Equal(IssueSeverity.Error, issue.Severity);
        Assert.Equal(IssueType.Value, issue.Code);
        Assert.Equal(["Bundle.entry[1].resource.identifier[0].value"], issue.Expression);
        Assert.Contains("NHS number is not valid", issue.Diagnostics, StringComparison.Ordinal);
        Assert.DoesNotContain("9990000019", issue.Diagnostics, StringComparison.Ordinal);
    }
}

/// <summary>What is worth telling the sender but does not stop the referral.</summary>
public class When_a_referral_is_accepted_with_warnings
{
    private const string Sibling = "urn:uuid:00000000-0000-4000-8000-000000000099";

    [Fact]
    public void Should_warn_about_an_unknown_hub_code_and_keep_the_known_ones()
    {
        var result = ReferralBuilder.Collection().With(ReferralBuilder.IndicatorFlag("sign-injuries", "sign-county-lines")).Read();

        var success = Assert.IsType<AdapterResult.Success>(result);
        Assert.Equal([IntegrationHub.Contracts.Common.Sign.Injuries], success.Concern.Signs);
        var warning = Assert.Single(success.Warnings);
        Assert.Equal((IssueSeverity.Warning, IssueType.CodeInvalid), (warning.Severity, warning.Code));
        Assert.Equal("Bundle.entry[3].resource.code.coding[1].code", warning.Expression);
    }

    [Fact]
    public void Should_warn_when_there_is_no_referrer()
    {
        var success = Assert.IsType<AdapterResult.Success>(ReferralBuilder.Collection((r, _) => r.Requester = null).Read());

        var warning = Assert.Single(success.Warnings);
        Assert.Equal((IssueSeverity.Warning, IssueType.Required), (warning.Severity, warning.Code));
        Assert.Equal("Bundle.entry[0].resource.requester", warning.Expression);
        Assert.Null(success.Concern.Referrer.Name);
    }

    [Fact]
    public void Should_warn_when_the_referrer_is_only_an_organisation_with_a_bad_ods_code()
    {
        var organisation = new Organization { Identifier = [new Identifier("https://fhir.nhs.uk/Id/ods-organization-code", "NOT-AN-ODS")] };
        var bundle = ReferralBuilder.Collection((r, _) => r.Requester = new ResourceReference("urn:uuid:00000000-0000-4000-8000-000000000020"));
        bundle.Entry[2] = new Bundle.EntryComponent { FullUrl = "urn:uuid:00000000-0000-4000-8000-000000000020", Resource = organisation };

        var success = Assert.IsType<AdapterResult.Success>(bundle.Read());

        Assert.Equal(
            [(IssueType.Incomplete, "Bundle.entry[0].resource.requester"), (IssueType.Value, "Bundle.entry[2].resource.identifier[0].value")],
            success.Warnings.Select(w => (w.Code, w.Expression)));
        Assert.Null(success.Concern.Referrer.OrganisationCode);
    }

    [Fact]
    public void Should_warn_when_the_child_has_no_nhs_number()
    {
        var success = Assert.IsType<AdapterResult.Success>(ReferralBuilder.Collection((_, p) => p.Identifier.Clear()).Read());

        Assert.Equal("Bundle.entry[1].resource.identifier", Assert.Single(success.Warnings).Expression);
        Assert.Null(success.Concern.Child.NhsNumber);
    }

    [Fact]
    public void Should_record_coded_indicators_in_place_of_a_missing_narrative_and_warn()
    {
        var result = ReferralBuilder.Collection((r, _) => r.Note.Clear()).With(ReferralBuilder.IndicatorFlag("immediate-risk", "risk-going-missing")).Read();

        var success = Assert.IsType<AdapterResult.Success>(result);
        Assert.StartsWith("[No narrative was sent. Coded indicators: ", success.Concern.Narrative, StringComparison.Ordinal);
        Assert.Contains("Going missing", success.Concern.Narrative, StringComparison.Ordinal);
        Assert.Equal("Bundle.entry[0].resource.note", Assert.Single(success.Warnings).Expression);
    }

    [Fact]
    public void Should_ignore_an_indicator_about_someone_else()
    {
        var flag = ReferralBuilder.IndicatorFlag("immediate-risk");
        flag.Subject = new ResourceReference(Sibling);
        var bundle = ReferralBuilder.Collection().With(new Patient { Id = "sibling" }).With(flag);
        bundle.Entry[3].FullUrl = Sibling;

        var success = Assert.IsType<AdapterResult.Success>(bundle.Read());

        Assert.False(success.Concern.ImmediateRisk);
        Assert.Equal((IssueType.BusinessRule, "Bundle.entry[4].resource.subject"), (Assert.Single(success.Warnings).Code, Assert.Single(success.Warnings).Expression));
    }

    [Fact]
    public void Should_put_the_tracking_id_first_in_the_success_outcome()
    {
        var success = (AdapterResult.Success)ReferralBuilder.Collection((r, _) => r.Requester = null).Read();

        var outcome = success.ToOperationOutcome("trk-123");

        Assert.Equal(IssueSeverity.Information, outcome.Issue[0].Severity);
        Assert.Equal("trk-123", outcome.Issue[0].Details?.Text);
        Assert.Equal(IssueSeverity.Warning, outcome.Issue[1].Severity);
        Assert.Contains("\"trk-123\"", FhirJson.Serialize(outcome), StringComparison.Ordinal);
    }
}

/// <summary>docs/fhir.md, priority: only <c>stat</c> says the child is at immediate risk.</summary>
public class When_a_referral_has_a_priority
{
    [Theory]
    [InlineData(RequestPriority.Stat, true)]
    [InlineData(RequestPriority.Asap, false)]
    [InlineData(RequestPriority.Urgent, false)]
    [InlineData(RequestPriority.Routine, false)]
    [InlineData(null, false)]
    public void Should_set_immediate_risk_only_for_stat(RequestPriority? priority, bool immediateRisk)
    {
        var success = (AdapterResult.Success)ReferralBuilder.Collection((r, _) => r.Priority = priority).Read();

        Assert.Equal(immediateRisk, success.Concern.ImmediateRisk);
    }

    [Fact]
    public void Should_set_immediate_risk_from_the_flag_whatever_the_priority()
    {
        var success = (AdapterResult.Success)ReferralBuilder.Collection((r, _) => r.Priority = RequestPriority.Routine)
            .With(ReferralBuilder.IndicatorFlag("immediate-risk")).Read();

        Assert.True(success.Concern.ImmediateRisk);
    }
}
