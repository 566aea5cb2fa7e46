using IntegrationHub.Adapters.Inbound;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.MissingEpisodes;
using IntegrationHub.Contracts.Referrals;

namespace IntegrationHub.Adapters.Police;

/// <summary>Maps the police's PPD1, missing person and found reports to the hub's contracts.</summary>
public static class PoliceAdapter
{
    public static InboundResult ReadPpd1(ReadOnlySpan<byte> body) => InboundResult.Read<Ppd1Notification>(body, Map);

    public static InboundResult ReadMissingPersonReport(ReadOnlySpan<byte> body) => InboundResult.Read<MissingPersonReport>(body, Map);

    public static InboundResult ReadFoundReport(ReadOnlySpan<byte> body) => InboundResult.Read<FoundReport>(body, Map);

    public static InboundResult Map(Ppd1Notification n)
    {
        var concern = new Concern
        {
            SenderReference = n.Ppd1Reference,
            Child = Child(n.Subject),
            Referrer = new Referrer
            {
                Name = n.Officer.Name,
                Role = string.Join(' ', new[] { n.Officer.Rank, n.Officer.CollarNumber }.Where(s => !string.IsNullOrWhiteSpace(s))),
                Service = ReferrerService.PoliceOfficer,
                OrganisationCode = n.ForceCode,
                SecureContact = n.Officer.SecureEmail,
            },
            NamedLead = n.Supervisor is null ? null : new NamedLead { Name = n.Supervisor.Name, Role = n.Supervisor.Rank, SecureContact = n.Supervisor.SecureEmail },
            Narrative = n.Incident.Summary,
            OccurredAt = n.Incident.OccurredAt,
            ExploitationType = Exploitation(n.Incident.ExploitationType),
            Signs = n.Indicators,
            RiskIndicators = n.RiskIndicators,
            PersonsOfConcern = n.PersonsOfInterest.Select(Person).ToList(),
            Locations = n.Locations,
            ImmediateRisk = n.Incident.ImmediateRisk,
            Trafficking = n.Trafficking,
            JointInvestigationUnderWay = n.JointInvestigation,
        };
        return ConcernChecks.Checked(concern, NativePath);
    }

    public static InboundResult Map(MissingPersonReport r)
    {
        var problems = SubjectProblems(r.Subject);
        if (problems.Count > 0) return InboundResult.Refused([.. problems]);
        return InboundResult.Success(new ChildReportedMissing
        {
            TrackingId = Guid.Empty,
            Agency = Agency.Police,
            ReceivedAt = default,
            Child = Child(r.Subject),
            PoliceReference = r.OccurrenceReference,
            MissingFrom = r.MissingFrom,
            LastSeenAt = r.LastSeenAt,
            RiskGrade = r.RiskGrade,
            KnownCseRisk = r.KnownCseRisk,
            BelievedWith = r.BelievedWith.Select(Person).ToList(),
            Locations = r.Locations,
            Narrative = r.Circumstances,
        });
    }

    public static InboundResult Map(FoundReport r)
    {
        var problems = SubjectProblems(r.Subject);
        if (problems.Count > 0) return InboundResult.Refused([.. problems]);
        return InboundResult.Success(new ChildFound
        {
            TrackingId = Guid.Empty,
            Agency = Agency.Police,
            ReceivedAt = default,
            Child = Child(r.Subject),
            PoliceReference = r.OccurrenceReference,
            ReturnedAt = r.FoundAt,
            MissingFrom = r.MissingFrom,
            FoundAt = r.FoundLocation,
            WithWhom = r.WithWhom.Select(Person).ToList(),
            Vehicles = r.Vehicles,
            Harmed = r.Harmed,
            CrimeSuspected = r.CrimeSuspected,
            MentalHealthConcern = r.MentalHealthConcern,
            Narrative = r.Circumstances,
        });
    }

    private static List<InboundProblem> SubjectProblems(PoliceSubject s)
    {
        var problems = new List<InboundProblem>();
        if (s.NhsNumber is { } nhs && !NhsNumber.IsValid(nhs))
            problems.Add(new("subject.nhsNumber", "Not a valid NHS number: ten digits whose last is the modulus-11 check digit. Leave it out if unknown."));
        if (s.AgeEstimate is < 0 or > 25)
            problems.Add(new("subject.ageEstimate", "Must be between 0 and 25."));
        return problems;
    }

    internal static ChildDetails Child(PoliceSubject s) => new()
    {
        NhsNumber = s.NhsNumber,
        LocalChildId = s.LocalAuthorityId,
        GivenName = s.Forenames,
        FamilyName = s.Surname,
        DateOfBirth = s.DateOfBirth,
        AgeYears = s.AgeEstimate,
        Sex = s.Gender,
        Address = s.Address,
        Postcode = s.Postcode,
        LegalStatus = s.LookedAfter ? LegalStatus.LookedAfter : s.ChildProtectionPlan ? LegalStatus.ChildProtectionPlan : LegalStatus.NotKnown,
        LearningDisability = s.LearningDisability,
    };

    internal static PersonOfConcern Person(PolicePerson p) => new()
    {
        Name = p.Name,
        Aliases = p.Aliases,
        DateOfBirth = p.DateOfBirth,
        AgeYears = p.AgeEstimate,
        Role = p.Relationship,
        Employer = p.Occupation,
        WorksWithChildren = p.WorksWithChildren,
        Vehicles = p.Vehicles,
        Phones = p.Phones,
    };

    internal static ExploitationType Exploitation(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        "CSE" or "SEXUAL" => ExploitationType.Sexual,
        "CCE" or "CRIMINAL" => ExploitationType.Criminal,
        "BOTH" => ExploitationType.Both,
        _ => ExploitationType.NotKnown,
    };

    private static string NativePath(string field) => field switch
    {
        "narrative" => "incident.summary",
        "child.nhsNumber" => "subject.nhsNumber",
        "child.ageYears" => "subject.ageEstimate",
        _ when field.StartsWith("personsOfConcern", StringComparison.Ordinal) => "personsOfInterest" + field["personsOfConcern".Length..].Replace("ageYears", "ageEstimate", StringComparison.Ordinal),
        _ => field,
    };
}
