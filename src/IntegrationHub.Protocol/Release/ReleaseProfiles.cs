using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Referrals;

namespace IntegrationHub.Protocol.Release;

/// <summary>
/// Which fields of a concern each recipient may see (the recipients table of docs/PROTOCOL.md), and the cut that
/// removes the rest. Field names are JSON paths into <see cref="Concern"/>.
/// </summary>
public static partial class ReleaseProfiles
{
    /// <summary>Every field path of a concern, in contract order.</summary>
    public static readonly IReadOnlyList<string> AllFields =
    [
        "agency", "senderReference",
        "child.nhsNumber", "child.localChildId", "child.givenName", "child.familyName", "child.dateOfBirth",
        "child.ageYears", "child.sex", "child.ethnicity", "child.address", "child.postcode", "child.legalStatus",
        "child.disability", "child.learningDisability", "child.communicationDifficulty", "child.school", "child.schoolUrn",
        "referrer", "namedLead", "narrative", "occurredAt", "exploitationType",
        "signs", "pushFactors", "riskIndicators", "pullFactors", "assessmentFactors", "sexualActivity",
        "personsOfConcern", "locations", "immediateRisk", "trafficking", "screening", "consentPosition", "lawfulBasis",
        "jointInvestigationUnderWay", "anonymousConsultationRequested", "childMayBeExploitingOthers",
        "atRiskOfExclusion", "schoolPhase", "harmSuspected", "careLeaverAgreedToPoliceReferral", "riskToOtherChildrenNamed",
    ];

    /// <summary>Fields that identify the child directly or indirectly; MARP never receives them.</summary>
    public static readonly IReadOnlyList<string> ChildIdentifiers =
    [
        "child.nhsNumber", "child.localChildId", "child.givenName", "child.familyName", "child.dateOfBirth",
        "child.address", "child.postcode", "child.school", "child.schoolUrn",
    ];

    /// <summary>What an anonymous consultation (Y13-03) removes: the child's identifiers and the sender's reference, which leads back to them.</summary>
    public static readonly IReadOnlyList<string> AnonymousConsultationWithheld = [.. ChildIdentifiers, "senderReference"];

    /// <summary>Health detail: impairments, the signs and factors a health screening records, and the screening itself.</summary>
    public static readonly IReadOnlyList<string> HealthDetail =
    [
        "child.disability", "child.learningDisability", "child.communicationDifficulty",
        "signs", "pushFactors", "riskIndicators", "pullFactors", "assessmentFactors", "screening",
    ];

    private static readonly Dictionary<Recipient, Profile> Profiles = new()
    {
        [Recipient.Mash] = Profile.Except([]),
        // The child's identity, the allegation, the person's role, employer and position of trust; no health detail.
        // Trafficking evidence and the sender's consent notes are for MASH and the police, not for an allegation.
        [Recipient.Lado] = Profile.Except([.. HealthDetail, "trafficking", "consentPosition", "lawfulBasis"]),
        // Identity, persons, locations, vehicles and trafficking evidence. Health data only where it is evidence: the
        // signs and risk indicators (injuries, STIs) travel; impairments, push factors and the screening tool stay
        // with MASH. Communication difficulty was released while the other impairments were not: now all three are held.
        [Recipient.Police] = Profile.Except(["screening", "pushFactors", "child.disability", "child.learningDisability", "child.communicationDifficulty", "consentPosition"]),
        // Pseudonymous: a key, age and the risk picture, persons, locations, vehicles; never a name, date of birth,
        // address, postcode or NHS number. The narrative, the trafficking account and the sender's reference are
        // withheld because free text and references lead back to the child.
        [Recipient.Marp] = Profile.Except([.. ChildIdentifiers, "narrative", "senderReference", "namedLead", "referrer", "consentPosition", "lawfulBasis", "trafficking", "screening"]),
        // Identity and the exploitation flag only (the referrer and legal status were released before: they are not identity).
        [Recipient.MissingCoordinator] = Profile.Only([
            "child.nhsNumber", "child.localChildId", "child.givenName", "child.familyName", "child.dateOfBirth",
            "child.ageYears", "child.sex", "exploitationType"]),
    };

    private static readonly Dictionary<Recipient, Profile> AnonymousProfiles = Profiles.ToDictionary(
        p => p.Key, p => p.Value.Without(AnonymousConsultationWithheld));

    public static Profile For(Recipient recipient) => Profiles[recipient];

    /// <summary>The profile for <paramref name="recipient"/>, less the child's identifiers when the decision allowed an anonymous consultation.</summary>
    public static Profile For(Recipient recipient, bool anonymousConsultation) =>
        anonymousConsultation ? AnonymousProfiles[recipient] : Profiles[recipient];

    /// <summary>The concern cut for <paramref name="recipient"/> under a decision whose flags are <paramref name="decisionFlags"/>: stripped first when the decision allowed an anonymous consultation.</summary>
    public static Concern Cut(Concern concern, Recipient recipient, DateTimeOffset asOf, IReadOnlyList<string> decisionFlags)
    {
        var anonymous = decisionFlags.Contains(ProtocolFlags.AnonymousConsultation);
        return Cut(anonymous ? Sharing.AnonymousConsultation.Strip(concern, asOf) : concern, recipient, asOf);
    }

    /// <summary>The concern cut down to what <paramref name="recipient"/> may see; <paramref name="asOf"/> turns a withheld date of birth into an age.</summary>
    public static Concern Cut(Concern concern, Recipient recipient, DateTimeOffset asOf)
    {
        var p = For(recipient);
        var c = concern.Child;
        return new Concern
        {
            Agency = p.Allows("agency") ? concern.Agency : null,
            SenderReference = p.Allows("senderReference") ? concern.SenderReference : null,
            Child = new ChildDetails
            {
                NhsNumber = p.Allows("child.nhsNumber") ? c.NhsNumber : null,
                LocalChildId = p.Allows("child.localChildId") ? c.LocalChildId : null,
                GivenName = p.Allows("child.givenName") ? c.GivenName : null,
                FamilyName = p.Allows("child.familyName") ? c.FamilyName : null,
                DateOfBirth = p.Allows("child.dateOfBirth") ? c.DateOfBirth : null,
                // MARP keeps the age even when the date of birth is withheld: age drives the risk picture.
                AgeYears = p.Allows("child.ageYears") ? c.AgeYears ?? (c.DateOfBirth is null ? null : ConcernFacts.AgeOf(c, asOf)) : null,
                Sex = p.Allows("child.sex") ? c.Sex : null,
                Ethnicity = p.Allows("child.ethnicity") ? c.Ethnicity : null,
                Address = p.Allows("child.address") ? c.Address : null,
                Postcode = p.Allows("child.postcode") ? c.Postcode : null,
                LegalStatus = p.Allows("child.legalStatus") ? c.LegalStatus : LegalStatus.NotKnown,
                Disability = p.Allows("child.disability") && c.Disability,
                LearningDisability = p.Allows("child.learningDisability") && c.LearningDisability,
                CommunicationDifficulty = p.Allows("child.communicationDifficulty") && c.CommunicationDifficulty,
                School = p.Allows("child.school") ? c.School : null,
                SchoolUrn = p.Allows("child.schoolUrn") ? c.SchoolUrn : null,
            },
            // Withheld means withheld: the service too (a school nurse or a leaving-care adviser can point to the child).
            Referrer = p.Allows("referrer") ? concern.Referrer : new Referrer(),
            NamedLead = p.Allows("namedLead") ? concern.NamedLead : null,
            Narrative = p.Allows("narrative") ? concern.Narrative : "",
            OccurredAt = p.Allows("occurredAt") ? concern.OccurredAt : null,
            ExploitationType = p.Allows("exploitationType") ? concern.ExploitationType : ExploitationType.NotKnown,
            Signs = p.Allows("signs") ? concern.Signs : [],
            PushFactors = p.Allows("pushFactors") ? concern.PushFactors : [],
            RiskIndicators = p.Allows("riskIndicators") ? concern.RiskIndicators : [],
            PullFactors = p.Allows("pullFactors") ? concern.PullFactors : [],
            AssessmentFactors = p.Allows("assessmentFactors") ? concern.AssessmentFactors : [],
            SexualActivity = p.Allows("sexualActivity") ? concern.SexualActivity : null,
            PersonsOfConcern = p.Allows("personsOfConcern") ? concern.PersonsOfConcern : [],
            Locations = p.Allows("locations") ? concern.Locations : [],
            ImmediateRisk = p.Allows("immediateRisk") && concern.ImmediateRisk,
            Trafficking = p.Allows("trafficking") ? concern.Trafficking : null,
            Screening = p.Allows("screening") ? concern.Screening : null,
            ConsentPosition = p.Allows("consentPosition") ? concern.ConsentPosition : null,
            LawfulBasis = p.Allows("lawfulBasis") ? concern.LawfulBasis : null,
            JointInvestigationUnderWay = p.Allows("jointInvestigationUnderWay") && concern.JointInvestigationUnderWay,
            AnonymousConsultationRequested = p.Allows("anonymousConsultationRequested") && concern.AnonymousConsultationRequested,
            ChildMayBeExploitingOthers = p.Allows("childMayBeExploitingOthers") && concern.ChildMayBeExploitingOthers,
            AtRiskOfExclusion = p.Allows("atRiskOfExclusion") && concern.AtRiskOfExclusion,
            SchoolPhase = p.Allows("schoolPhase") ? concern.SchoolPhase : null,
            HarmSuspected = p.Allows("harmSuspected") && concern.HarmSuspected,
            CareLeaverAgreedToPoliceReferral = p.Allows("careLeaverAgreedToPoliceReferral") && concern.CareLeaverAgreedToPoliceReferral,
            RiskToOtherChildrenNamed = p.Allows("riskToOtherChildrenNamed") && concern.RiskToOtherChildrenNamed,
        };
    }

    /// <summary>The fields one recipient may see.</summary>
    public sealed class Profile
    {
        private readonly HashSet<string> _released;

        private Profile(IEnumerable<string> released)
        {
            _released = [.. released];
            Released = AllFields.Where(_released.Contains).ToArray();
            Withheld = AllFields.Where(f => !_released.Contains(f)).ToArray();
        }

        public IReadOnlyList<string> Released { get; }
        public IReadOnlyList<string> Withheld { get; }
        public bool Allows(string field) => _released.Contains(field);

        public static Profile Except(IEnumerable<string> withheld)
        {
            var w = withheld.ToHashSet();
            return new Profile(AllFields.Where(f => !w.Contains(f)));
        }

        public static Profile Only(IEnumerable<string> released) => new(released);

        /// <summary>This profile with <paramref name="withheld"/> held back as well.</summary>
        public Profile Without(IEnumerable<string> withheld)
        {
            var w = withheld.ToHashSet();
            return new Profile(Released.Where(f => !w.Contains(f)));
        }
    }
}
