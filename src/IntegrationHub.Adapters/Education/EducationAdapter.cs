using IntegrationHub.Adapters.Inbound;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Referrals;

namespace IntegrationHub.Adapters.Education;

/// <summary>Maps a DSL concern to the hub's concern.</summary>
public static class EducationAdapter
{
    /// <summary>Below this attendance a pupil is persistently absent (DfE: missing 10% or more of sessions).</summary>
    public const decimal PersistentAbsenceBelowPercent = 90m;

    public static InboundResult Read(ReadOnlySpan<byte> body) => InboundResult.Read<DslConcern>(body, Map);

    public static InboundResult Map(DslConcern d)
    {
        var c = d.Concern;
        // Persistent absence is disengagement from education, a sign in its own right (handbook 5 and 6).
        var absent = d.Attendance?.Percentage < PersistentAbsenceBelowPercent;
        var concern = new Concern
        {
            SenderReference = d.Pupil.Upn,
            Child = new ChildDetails
            {
                LocalChildId = d.Pupil.Upn,
                GivenName = d.Pupil.Forename,
                FamilyName = d.Pupil.Surname,
                DateOfBirth = d.Pupil.DateOfBirth,
                Sex = d.Pupil.Gender,
                Address = d.Pupil.Address,
                Postcode = d.Pupil.Postcode,
                NhsNumber = d.Pupil.NhsNumber,
                LegalStatus = d.Pupil.LookedAfter ? LegalStatus.LookedAfter : LegalStatus.NotKnown,
                LearningDisability = d.Pupil.LearningDisability,
                Disability = d.Pupil.Disability,
                School = d.SchoolName,
                SchoolUrn = d.SchoolUrn,
            },
            Referrer = new Referrer
            {
                Name = (d.RecordedBy ?? d.Dsl).Name,
                Role = (d.RecordedBy ?? d.Dsl).Role,
                Service = d.Phase == SchoolPhase.FurtherEducation ? ReferrerService.College : ReferrerService.School,
                OrganisationCode = d.SchoolUrn,
                SecureContact = (d.RecordedBy ?? d.Dsl).Email,
            },
            NamedLead = new NamedLead { Name = d.Dsl.Name, Role = d.Dsl.Role ?? "Designated safeguarding lead", SecureContact = d.Dsl.Email },
            Narrative = c.Summary,
            OccurredAt = c.ObservedAt,
            ExploitationType = c.ExploitationType,
            Signs = absent && !c.Indicators.Contains(Sign.DisengagedFromEducation) ? [.. c.Indicators, Sign.DisengagedFromEducation] : c.Indicators,
            PushFactors = c.PushFactors,
            RiskIndicators = absent && !c.RiskIndicators.Contains(RiskIndicator.EducationDisengagement)
                ? [.. c.RiskIndicators, RiskIndicator.EducationDisengagement] : c.RiskIndicators,
            PullFactors = c.PullFactors,
            AssessmentFactors = c.AssessmentFactors,
            SexualActivity = c.SexualActivity,
            PersonsOfConcern = c.PersonsOfConcern,
            Locations = c.Locations,
            ImmediateRisk = c.ImmediateRisk,
            Screening = d.Screening,
            AtRiskOfExclusion = d.ExclusionRisk,
            SchoolPhase = d.Phase,
        };
        return ConcernChecks.Checked(concern, field => field switch
        {
            "narrative" => "concern.summary",
            "child.nhsNumber" => "pupil.nhsNumber",
            _ => "concern." + field,
        });
    }
}
