using System.Globalization;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Referrals;
using IssueType = Hl7.Fhir.Model.OperationOutcome.IssueType;
using FhirLocation = Hl7.Fhir.Model.Location;
using HubLocation = IntegrationHub.Contracts.Common.Location;

namespace IntegrationHub.Adapters.Health;

/// <summary>Maps one strictly parsed Bundle to a Concern; the rules are written out in docs/fhir.md.</summary>
internal sealed partial class ReferralMapper
{
    public const string OdsSystem = "https://fhir.nhs.uk/Id/ods-organization-code";
    public const string EthnicCategoryExtension = "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory";

    private readonly Bundle _bundle;
    private readonly BundleIndex _index;
    private readonly DateOnly _today;
    private readonly List<AdapterIssue> _issues = [];
    private readonly ConcernDraft _draft = new();

    public ReferralMapper(Bundle bundle, DateOnly today)
    {
        _bundle = bundle;
        _index = new BundleIndex(bundle);
        _today = today;
    }

    public AdapterResult Map()
    {
        if (_bundle.Type is not (Bundle.BundleType.Message or Bundle.BundleType.Collection))
        {
            return Refuse(IssueType.NotSupported,
                $"Bundle type '{_bundle.Type?.ToString().ToLowerInvariant()}' is not accepted; send a 'message' or a 'collection'.",
                "Bundle.type");
        }

        var request = FindServiceRequest();
        if (request is null)
        {
            return Refused();
        }

        var (serviceRequest, requestEntry) = request.Value;
        var child = FindChild(serviceRequest, requestEntry);
        if (child is null)
        {
            return Refused();
        }

        var childDetails = MapChild((Patient)child.Resource, child);
        var referrer = MapReferrer(serviceRequest, requestEntry);
        ReadIndicators(serviceRequest, requestEntry, child);
        var narrative = Narrative(serviceRequest, requestEntry);

        if (_issues.Any(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal))
        {
            return Refused();
        }

        if (serviceRequest.Priority == RequestPriority.Stat)
        {
            _draft.ImmediateRisk = true;
        }

        var concern = new Concern
        {
            SenderReference = SenderReference(serviceRequest),
            Child = childDetails with
            {
                LegalStatus = _draft.LegalStatus,
                Disability = _draft.Disability,
                LearningDisability = _draft.LearningDisability,
                CommunicationDifficulty = _draft.CommunicationDifficulty,
            },
            Referrer = referrer with { Service = _draft.Service ?? referrer.Service },
            Narrative = narrative!,
            OccurredAt = OccurredAt(serviceRequest),
            ExploitationType = _draft.ExploitationType,
            Signs = _draft.Signs,
            PushFactors = _draft.PushFactors,
            RiskIndicators = _draft.RiskIndicators,
            PullFactors = _draft.PullFactors,
            AssessmentFactors = _draft.AssessmentFactors,
            PersonsOfConcern = PersonsOfConcern(),
            Locations = Locations(),
            ImmediateRisk = _draft.ImmediateRisk,
            Trafficking = _draft.Trafficking ? new TraffickingEvidence { Types = _draft.TraffickingTypes } : null,
            JointInvestigationUnderWay = _draft.JointInvestigationUnderWay,
            AnonymousConsultationRequested = _draft.AnonymousConsultationRequested,
            ChildMayBeExploitingOthers = _draft.ChildMayBeExploitingOthers,
            AtRiskOfExclusion = _draft.AtRiskOfExclusion,
            HarmSuspected = _draft.HarmSuspected,
            CareLeaverAgreedToPoliceReferral = _draft.CareLeaverAgreedToPoliceReferral,
            RiskToOtherChildrenNamed = _draft.RiskToOtherChildrenNamed,
        };
        return new AdapterResult.Success(concern, _issues);
    }

    private AdapterResult.Failure Refuse(IssueType code, string message, string? expression)
    {
        _issues.Add(AdapterIssue.Error(code, message, expression));
        return Refused();
    }

    private AdapterResult.Failure Refused() => new(_issues, Unprocessable: true);

    // ---- The referral ----

    private (ServiceRequest, BundleEntry)? FindServiceRequest()
    {
        if (_bundle.Type == Bundle.BundleType.Message)
        {
            if (_bundle.Entry.FirstOrDefault()?.Resource is not MessageHeader header)
            {
                _issues.Add(AdapterIssue.Error(IssueType.Invalid,
                    "A message bundle's first entry must be a MessageHeader.",
                    _bundle.Entry.Count == 0 ? "Bundle.entry" : "Bundle.entry[0].resource"));
                return null;
            }

            for (var f = 0; f < header.Focus.Count; f++)
            {
                var focus = _index.Resolve(header.Focus[f]);
                if (focus?.Resource is ServiceRequest focused)
                {
                    return (focused, focus);
                }
            }

            if (header.Focus.Count > 0)
            {
                _issues.Add(AdapterIssue.Error(IssueType.Invalid,
                    "MessageHeader.focus must reference the ServiceRequest in this bundle.",
                    "Bundle.entry[0].resource.focus[0]"));
                return null;
            }
        }

        var requests = _index.OfType<ServiceRequest>().ToList();
        switch (requests.Count)
        {
            case 1:
                return (requests[0].Resource, requests[0].Entry);
            case 0:
                _issues.Add(AdapterIssue.Error(IssueType.Required,
                    "The bundle has no ServiceRequest: the referral itself (narrative, requester, subject) is missing.",
                    "Bundle.entry"));
                return null;
            default:
                _issues.Add(AdapterIssue.Error(IssueType.Invalid,
                    "The bundle has more than one ServiceRequest; send one referral per bundle, or a message whose MessageHeader.focus names it.",
                    requests[1].Entry.Path));
                return null;
        }
    }

    private BundleEntry? FindChild(ServiceRequest request, BundleEntry requestEntry)
    {
        var patients = _index.OfType<Patient>().ToList();
        if (patients.Count == 0)
        {
            _issues.Add(AdapterIssue.Error(IssueType.Required,
                "The bundle has no Patient: the child the referral is about is missing.", "Bundle.entry"));
            return null;
        }

        if (request.Subject?.Reference is not null)
        {
            var subject = _index.Resolve(request.Subject);
            if (subject?.Resource is Patient)
            {
                return subject;
            }

            _issues.Add(AdapterIssue.Error(IssueType.NotFound,
                "ServiceRequest.subject does not resolve to a Patient in the bundle.",
                $"{requestEntry.Path}.subject.reference"));
            return null;
        }

        if (patients.Count == 1)
        {
            return patients[0].Entry;
        }

        _issues.Add(AdapterIssue.Error(IssueType.Required,
            "The bundle has several Patients and ServiceRequest.subject does not say which is the child.",
            $"{requestEntry.Path}.subject"));
        return null;
    }

    private string? Narrative(ServiceRequest request, BundleEntry entry)
    {
        var notes = request.Note.Select(n => n.Text?.Trim()).Where(t => !string.IsNullOrEmpty(t)).ToList();
        if (notes.Count > 0)
        {
            return string.Join("\n\n", notes);
        }

        var reasons = request.ReasonCode
            .Select(r => r.Text ?? r.Coding.FirstOrDefault(c => c.System != HealthCodeSystem.Url)?.Display)
            .Where(t => !string.IsNullOrWhiteSpace(t))
            .ToList();
        if (reasons.Count > 0)
        {
            return string.Join("\n\n", reasons);
        }

        if (PlainText(request.Text?.Div) is { Length: > 0 } text)
        {
            return text;
        }

        if (_draft.Applied.Count > 0)
        {
            _issues.Add(AdapterIssue.Warning(IssueType.Required,
                "The referral has no narrative (ServiceRequest.note, reasonCode.text or text); the hub recorded the coded indicators in its place. Please send what happened in the referrer's words.",
                $"{entry.Path}.note"));
            return $"[No narrative was sent. Coded indicators: {string.Join("; ", _draft.Applied)}]";
        }

        _issues.Add(AdapterIssue.Error(IssueType.Required,
            "The referral has no narrative (ServiceRequest.note, reasonCode.text or text) and no coded indicators: there is nothing for the recipient to decide on.",
            $"{entry.Path}.note"));
        return null;
    }

    private static DateTimeOffset? OccurredAt(ServiceRequest request) => request.Occurrence switch
    {
        FhirDateTime dateTime when dateTime.TryToDateTimeOffset(TimeSpan.Zero, out var at) => at,
        Period { StartElement: { } start } when start.TryToDateTimeOffset(TimeSpan.Zero, out var at) => at,
        _ => null,
    };

    private string? SenderReference(ServiceRequest request) =>
        request.Identifier.FirstOrDefault(i => !string.IsNullOrWhiteSpace(i.Value))?.Value
        ?? (string.IsNullOrWhiteSpace(_bundle.Identifier?.Value) ? null : _bundle.Identifier.Value);

    // ---- The child ----

    private ChildDetails MapChild(Patient patient, BundleEntry entry)
    {
        string? nhsNumber = null;
        var nhsIndex = patient.Identifier.FindIndex(i => i.System == NhsNumber.System);
        if (nhsIndex < 0)
        {
            _issues.Add(AdapterIssue.Warning(IssueType.Required,
                $"The child has no NHS number (identifier with system {NhsNumber.System}); the concern is still routed.",
                $"{entry.Path}.identifier"));
        }
        else
        {
            var value = patient.Identifier[nhsIndex].Value;
            if (NhsNumber.IsValid(value))
            {
                nhsNumber = NhsNumber.Normalise(value);
            }
            else
            {
                _issues.Add(AdapterIssue.Error(IssueType.Value,
                    "The NHS number is not valid: it must be 10 digits with a correct modulus-11 check digit.",
                    $"{entry.Path}.identifier[{nhsIndex}].value"));
            }
        }

        var name = patient.Name.FirstOrDefault(n => n.Use == HumanName.NameUse.Official) ?? patient.Name.FirstOrDefault();
        var address = patient.Address.FirstOrDefault(a => a.Use == Address.AddressUse.Home) ?? patient.Address.FirstOrDefault();

        return new ChildDetails
        {
            NhsNumber = nhsNumber,
            GivenName = name is null || !name.Given.Any() ? null : string.Join(' ', name.Given),
            FamilyName = name?.Family,
            DateOfBirth = ParseDate(patient.BirthDate),
            Sex = patient.Gender is { } gender ? gender.ToString().ToLowerInvariant() : null,
            Ethnicity = Ethnicity(patient),
            Address = OneLine(address),
            Postcode = NormalisePostcode(address?.PostalCode),
        };
    }

    private static string? Ethnicity(Patient patient)
    {
        if (patient.GetExtensionValue<CodeableConcept>(EthnicCategoryExtension) is not { } category)
        {
            return null;
        }

        var coding = category.Coding.FirstOrDefault();
        return coding?.Display ?? category.Text ?? coding?.Code;
    }

    // ---- The referrer ----

    private Referrer MapReferrer(ServiceRequest request, BundleEntry requestEntry)
    {
        var requester = _index.Resolve(request.Requester);
        if (requester is null && _bundle.Entry.FirstOrDefault()?.Resource is MessageHeader header)
        {
            requester = _index.Resolve(header.Sender);
        }

        switch (requester?.Resource)
        {
            case PractitionerRole role:
                return FromRole(role, requester);
            case Practitioner practitioner:
                return FromPractitioner(practitioner) with { Service = ServiceOf(null) };
            case Organization organization:
                _issues.Add(AdapterIssue.Warning(IssueType.Incomplete,
                    "The requester is an Organization: the recipient has no named professional to contact.",
                    $"{requestEntry.Path}.requester"));
                return new Referrer
                {
                    OrganisationCode = OdsCode(organization, requester),
                    SecureContact = Contact(organization.Telecom),
                };
            default:
                _issues.Add(AdapterIssue.Warning(IssueType.Required,
                    "No referrer: ServiceRequest.requester does not resolve to a Practitioner, PractitionerRole or Organization in the bundle.",
                    $"{requestEntry.Path}.requester"));
                return new Referrer();
        }
    }

    private Referrer FromRole(PractitionerRole role, BundleEntry entry)
    {
        var practitioner = _index.Resolve(role.Practitioner)?.Resource as Practitioner;
        var organization = _index.Resolve(role.Organization);
        var person = practitioner is null ? new Referrer() : FromPractitioner(practitioner);
        var roleName = role.Code.Select(c => c.Text ?? c.Coding.FirstOrDefault(k => k.System != HealthCodeSystem.Url)?.Display)
            .FirstOrDefault(t => !string.IsNullOrWhiteSpace(t));

        foreach (var coding in role.Code.Concat(role.Specialty).SelectMany(c => c.Coding).Where(c => c.System == HealthCodeSystem.Url))
        {
            HealthCodeSystem.Find(coding.Code)?.Apply(_draft);
        }

        return person with
        {
            Role = roleName,
            OrganisationCode = organization?.Resource is Organization org ? OdsCode(org, organization) : null,
            SecureContact = Contact(role.Telecom) ?? person.SecureContact,
            Service = ServiceOf(role),
        };
    }

    private static Referrer FromPractitioner(Practitioner practitioner)
    {
        var name = practitioner.Name.FirstOrDefault(n => n.Use == HumanName.NameUse.Official) ?? practitioner.Name.FirstOrDefault();
        return new Referrer { Name = FullName(name, withPrefix: true), SecureContact = Contact(practitioner.Telecom) };
    }

    /// <summary>What UK Core senders already code: a GP role or a general medical practice setting.</summary>
    private static ReferrerService ServiceOf(PractitionerRole? role)
    {
        if (role is null)
        {
            return ReferrerService.NotKnown;
        }

        var codings = role.Code.Concat(role.Specialty).SelectMany(c => c.Coding).ToList();
        if (codings.Any(c => (c.System == "http://snomed.info/sct" && c.Code == "62247001")
                             || (c.System == "https://fhir.hl7.org.uk/CodeSystem/UKCore-PracticeSettingCode" && c.Code == "600")))
        {
            return ReferrerService.GeneralPractice;
        }

        return ReferrerService.NotKnown;
    }

    private string? OdsCode(Organization organization, BundleEntry entry)
    {
        var index = organization.Identifier.FindIndex(i => i.System == OdsSystem);
        if (index < 0)
        {
            return null;
        }

        var value = organization.Identifier[index].Value?.Trim().ToUpperInvariant();
        if (value is not null && OdsPattern().IsMatch(value))
        {
            return value;
        }

        _issues.Add(AdapterIssue.Warning(IssueType.Value,
            $"'{organization.Identifier[index].Value}' is not an ODS code (3 to 6 letters and digits); it was left out.",
            $"{entry.Path}.identifier[{index}].value"));
        return null;
    }

    [GeneratedRegex("^[A-Z0-9]{3,6}$")]
    private static partial Regex OdsPattern();

    // ---- Indicators ----

    private void ReadIndicators(ServiceRequest request, BundleEntry requestEntry, BundleEntry child)
    {
        for (var r = 0; r < request.ReasonCode.Count; r++)
        {
            ApplyCodes(request.ReasonCode[r], $"{requestEntry.Path}.reasonCode[{r}]");
        }

        foreach (var entry in _index.Entries)
        {
            switch (entry.Resource)
            {
                case Flag flag when flag.Status == Flag.FlagStatus.Active:
                    if (AboutChild(flag.Subject, child, entry))
                    {
                        ApplyCodes(flag.Code, $"{entry.Path}.code");
                    }

                    break;
                case Observation observation when IsCurrent(observation):
                    if (AboutChild(observation.Subject, child, entry))
                    {
                        ApplyCodes(observation.Code, $"{entry.Path}.code");
                    }

                    break;
            }
        }
    }

    /// <summary>An observation counts unless it was withdrawn or records the indicator as absent (valueBoolean false).</summary>
    private static bool IsCurrent(Observation observation) =>
        observation.Status is not (ObservationStatus.EnteredInError or ObservationStatus.Cancelled)
        && observation.Value is not FhirBoolean { Value: false };

    private bool AboutChild(ResourceReference? subject, BundleEntry child, BundleEntry entry)
    {
        if (subject?.Reference is null || _index.Resolve(subject) == child)
        {
            return true;
        }

        _issues.Add(AdapterIssue.Warning(IssueType.BusinessRule,
            $"The {entry.Resource.TypeName}'s subject is not the child of the referral; it was ignored.",
            $"{entry.Path}.subject"));
        return false;
    }

    private void ApplyCodes(CodeableConcept? concept, string path)
    {
        if (concept is null)
        {
            return;
        }

        for (var c = 0; c < concept.Coding.Count; c++)
        {
            var coding = concept.Coding[c];
            if (coding.System != HealthCodeSystem.Url)
            {
                continue;
            }

            if (HealthCodeSystem.Find(coding.Code) is { } known)
            {
                known.Apply(_draft);
                if (!_draft.Applied.Contains(known.Display))
                {
                    _draft.Applied.Add(known.Display);
                }
            }
            else
            {
                _issues.Add(AdapterIssue.Warning(IssueType.CodeInvalid,
                    $"'{coding.Code}' is not a code of {HealthCodeSystem.Url} (version {HealthCodeSystem.Version}); it was ignored.",
                    $"{path}.coding[{c}].code"));
            }
        }
    }

    // ---- People and places ----

    private List<PersonOfConcern> PersonsOfConcern() =>
        _index.OfType<RelatedPerson>().Select(p =>
        {
            var (person, _) = p;
            var name = person.Name.FirstOrDefault(n => n.Use == HumanName.NameUse.Official) ?? person.Name.FirstOrDefault();
            var born = ParseDate(person.BirthDate);
            return new PersonOfConcern
            {
                Name = FullName(name, withPrefix: false),
                Aliases = person.Name.Where(n => n != name).Select(n => FullName(n, withPrefix: false)).OfType<string>().ToList(),
                DateOfBirth = born,
                AgeYears = born is { } dob ? AgeOn(dob, _today) : null,
                Role = person.Relationship
                    .Select(r => r.Text ?? r.Coding.FirstOrDefault()?.Display ?? r.Coding.FirstOrDefault()?.Code)
                    .FirstOrDefault(t => !string.IsNullOrWhiteSpace(t)),
                Phones = person.Telecom.Where(t => t.System == ContactPoint.ContactPointSystem.Phone && t.Value is not null)
                    .Select(t => t.Value!).ToList(),
            };
        }).ToList();

    private List<HubLocation> Locations() =>
        _index.OfType<FhirLocation>().Select(l => new HubLocation
        {
            Description = l.Resource.Description,
            PlaceName = l.Resource.Name,
            Postcode = NormalisePostcode(l.Resource.Address?.PostalCode),
        }).ToList();

    // ---- Helpers ----

    internal static int AgeOn(DateOnly born, DateOnly today)
    {
        var age = today.Year - born.Year;
        return born.AddYears(age) > today ? age - 1 : age;
    }

    private static DateOnly? ParseDate(string? value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    private static string? FullName(HumanName? name, bool withPrefix)
    {
        if (name is null)
        {
            return null;
        }

        if (!string.IsNullOrWhiteSpace(name.Text))
        {
            return name.Text.Trim();
        }

        var parts = (withPrefix ? name.Prefix : []).Concat(name.Given).Append(name.Family).Where(p => !string.IsNullOrWhiteSpace(p));
        var full = string.Join(' ', parts);
        return full.Length == 0 ? null : full;
    }

    private static string? Contact(IEnumerable<ContactPoint> telecom)
    {
        var points = telecom.Where(t => !string.IsNullOrWhiteSpace(t.Value)).ToList();
        return (points.FirstOrDefault(t => t.System == ContactPoint.ContactPointSystem.Email)
                ?? points.FirstOrDefault(t => t.System == ContactPoint.ContactPointSystem.Phone))?.Value;
    }

    private static string? OneLine(Address? address)
    {
        if (address is null)
        {
            return null;
        }

        var parts = address.Line.Append(address.City).Append(address.District).Where(p => !string.IsNullOrWhiteSpace(p));
        var line = string.Join(", ", parts);
        return line.Length == 0 ? address.Text : line;
    }

    /// <summary>Upper case with one space before the final three characters (<c>SN1 2AB</c>).</summary>
    internal static string? NormalisePostcode(string? postcode)
    {
        if (string.IsNullOrWhiteSpace(postcode))
        {
            return null;
        }

        var compact = string.Concat(postcode.Where(c => !char.IsWhiteSpace(c))).ToUpperInvariant();
        return compact.Length is >= 5 and <= 7 ? $"{compact[..^3]} {compact[^3..]}" : compact;
    }

    private static string? PlainText(string? html)
    {
        if (html is null)
        {
            return null;
        }

        var text = TagPattern().Replace(html, " ");
        text = System.Net.WebUtility.HtmlDecode(text);
        return WhitespacePattern().Replace(text, " ").Trim();
    }

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespacePattern();
}
