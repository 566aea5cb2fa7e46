using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Referrals;
using IntegrationHub.Protocol.Sharing;
using static IntegrationHub.Protocol.Tests.TestData;

namespace IntegrationHub.Protocol.Tests;

/// <summary>One table per rule: rows that must fire and rows that must not, each naming its handbook section.</summary>
public class RuleTables
{
    [Theory]
    [InlineData(true, true, "9.6")]
    [InlineData(false, false, "9.6")]
    public void IMM_01_immediate_risk_goes_to_police_first(bool immediateRisk, bool fires, string section)
    {
        var d = Evaluate(Concern() with { ImmediateRisk = immediateRisk });
        Assert.Equal(fires, d.Fired("IMM-01"));
        if (fires)
        {
            Assert.Equal(Recipient.Police, d.Recipients[0].Recipient);
            Assert.Equal(Contracts.Sharing.Priority.Urgent, d.Recipients[0].Priority);
            Assert.True(d.Names(Recipient.Mash, "IMM-01"), section);
        }
    }

    [Theory]
    [InlineData(12, 14, false, true, "9.2")]
    [InlineData(12, 14, true, true, "9.2")]
    [InlineData(10, 12, false, true, "9.5")]
    [InlineData(13, 14, false, false, "9.2")]
    [InlineData(15, 16, false, false, "9.2")]
    public void U13_01_sexual_activity_under_13(int childAge, int otherAge, bool penetrative, bool fires, string section)
    {
        var d = Evaluate(Concern(childAge).WithActivity(childAge, otherAge, penetrative));
        Assert.Equal(fires, d.Fired("U13-01"));
        if (!fires) return;
        var mash = d.For(Recipient.Mash);
        Assert.NotNull(mash);
        Assert.True(mash.Mandatory, section);
        Assert.Contains(d.Actions, a => a.Kind == ActionKinds.StrategyDiscussion && a.RuleId == "U13-01");
        Assert.Contains(ProtocolFlags.SignificantHarmPresumed, d.Flags);
        Assert.Equal(penetrative, d.Flags.Contains(ProtocolFlags.RapeOfChildUnder13));
    }

    [Theory]
    [InlineData(13, 14, false, true, false, "9.2")]
    [InlineData(15, 16, false, true, false, "9.7")]
    [InlineData(14, 15, true, true, true, "9.3")]
    [InlineData(12, 13, false, false, false, "9.2")]
    [InlineData(16, 17, false, false, false, "9.1")]
    public void Y13_01_sexual_activity_13_to_15_is_assessed(int childAge, int otherAge, bool factor, bool fires, bool mash, string section)
    {
        var concern = Concern(childAge).WithActivity(childAge, otherAge);
        if (factor) concern = concern with { AssessmentFactors = [AssessmentFactor.SecrecyBeyondTeenageNorm] };
        var d = Evaluate(concern);
        Assert.Equal(fires, d.Fired("Y13-01"));
        Assert.Equal(fires, d.Actions.Any(a => a.Kind == ActionKinds.AssessmentBySender && a.RuleId == "Y13-01"));
        Assert.Equal(mash, d.Names(Recipient.Mash, "Y13-01"));
        _ = section;
    }

    [Theory]
    [InlineData(13, 17, true, "9.2")]   // handbook example 13 + 17: gap 4
    [InlineData(15, 21, true, "9.2")]   // handbook example 15 + 21
    [InlineData(14, 18, true, "9.2")]   // partner 18: adult
    [InlineData(15, 18, true, "9.2")]   // gap 3 but partner an adult
    [InlineData(14, 17, false, "9.2")]  // gap 3, partner 17: not considerable
    [InlineData(13, 16, false, "9.2")]  // gap 3
    [InlineData(15, 16, false, "9.7")]  // close in age
    [InlineData(12, 17, false, "9.2")]  // under 13: U13-01's
    [InlineData(16, 21, false, "9.1")]  // 16: over the age of consent
    public void Y13_02_considerable_age_gap_goes_to_mash(int childAge, int otherAge, bool fires, string section)
    {
        var d = Evaluate(Concern(childAge).WithActivity(childAge, otherAge));
        Assert.Equal(fires, d.Fired("Y13-02"));
        Assert.Equal(fires, d.Names(Recipient.Mash, "Y13-02") && d.For(Recipient.Mash)!.Mandatory);
        _ = section;
    }

    [Theory]
    [InlineData(13, true, true, "9.2")]
    [InlineData(15, true, true, "9.2")]
    [InlineData(12, true, false, "9.5")]
    [InlineData(16, true, false, "9.2")]
    [InlineData(14, false, false, "9.2")]
    public void Y13_03_anonymous_consultation_only_for_13_to_15(int age, bool requested, bool allowed, string section)
    {
        var d = Evaluate(Concern(age) with { AnonymousConsultationRequested = requested });
        Assert.Equal(allowed, d.Fired("Y13-03"));
        Assert.Equal(allowed, d.Flags.Contains(ProtocolFlags.AnonymousConsultation));
        if (allowed) Assert.All(d.Recipients, r => Assert.Contains("child.nhsNumber", r.FieldsWithheld));
        if (requested && !allowed)
            Assert.Contains(d.Warnings, w => w.Code == (age < 13 ? "U13-01" : "Y13-03") + ".anonymous-consultation-refused");
        _ = section;
    }

    [Theory]
    [InlineData("2026-05-31T23:30:00Z", 13)] // 00:30 on 1 June in London (summer time): the 13th birthday has come
    [InlineData("2026-05-31T22:59:59Z", 12)] // 23:59:59 on 31 May in London
    [InlineData("2026-12-31T23:30:00Z", 12)] // winter: London is on UTC
    public void Ages_turn_on_the_birthday_in_the_UK_not_in_UTC(string at, int age)
    {
        var now = DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture);
        var concern = Concern() with { Child = Concern().Child with { DateOfBirth = new DateOnly(2013, 6, 1) } };
        var born2014 = Concern() with { Child = Concern().Child with { DateOfBirth = new DateOnly(2014, 1, 1) } };
        var child = now.Month == 12 ? born2014 : concern;

        Assert.Equal(age, ConcernFacts.AgeOf(child.Child, now));
        // No age at the time of the activity given: the rules take today's age.
        var d = Engine.Evaluate(Raised(child with { SexualActivity = new SexualActivity { OtherPersonAge = 15 } }), ProtocolContext.At(now));
        Assert.Equal(age < 13, d.Fired("U13-01"));
    }

    [Theory]
    [InlineData(14, 12, false, "IMM-01", "9.6")] // at immediate risk: the police and MASH must know who the child is
    [InlineData(14, 12, true, "U13-01", "9.5")]  // 14 now, 12 at the time of the activity: U13-01 fires, so identified
    [InlineData(14, 13, true, null, "9.2")]
    public void Y13_03_is_refused_at_immediate_risk_and_for_activity_under_13(int age, int ageAtActivity, bool activity, string? refusedBy, string section)
    {
        var concern = Concern(age) with { AnonymousConsultationRequested = true, ImmediateRisk = !activity };
        if (activity) concern = concern.WithActivity(ageAtActivity, 19);
        var d = Evaluate(concern);
        Assert.Equal(refusedBy is null, d.Flags.Contains(ProtocolFlags.AnonymousConsultation));
        Assert.Equal(refusedBy, AnonymousConsultation.Check(concern, TestData.Now, TestData.Options)?.RuleId);
        if (refusedBy is not null)
        {
            Assert.Contains(d.Warnings, w => w.Code == refusedBy + ".anonymous-consultation-refused");
            Assert.All(d.Recipients, r => Assert.DoesNotContain("child.nhsNumber", r.FieldsWithheld));
        }
        _ = section;
    }

    [Theory]
    [InlineData(17, 33, true, "9.2")]  // handbook example 17 + 33
    [InlineData(16, 26, true, "9.1")]  // gap 10
    [InlineData(16, 25, false, "9.1")] // gap 9
    [InlineData(17, 26, false, "9.1")] // gap 9
    [InlineData(15, 33, false, "9.2")] // 15: Y13-02's
    [InlineData(18, 40, false, "9.1")] // an adult
    public void Y16_01_significantly_older_partner(int childAge, int otherAge, bool fires, string section)
    {
        var d = Evaluate(Concern(childAge).WithActivity(childAge, otherAge));
        Assert.Equal(fires, d.Fired("Y16-01"));
        Assert.Equal(fires, d.Names(Recipient.Mash, "Y16-01"));
        Assert.Equal(fires, d.Actions.Any(a => a.Kind == ActionKinds.AssessmentBySender && a.RuleId == "Y16-01"));
        _ = section;
    }

    [Theory]
    [InlineData(13, true, true, "9.5")]
    [InlineData(17, true, true, "9.5")]
    [InlineData(15, false, false, "9.3")] // age alone does not count
    [InlineData(12, true, false, "9.5")]
    [InlineData(18, true, false, "9.5")]
    public void F93_01_any_9_3_factor_means_mash_and_strategy_discussion(int age, bool factor, bool fires, string section)
    {
        var concern = Concern(age) with { AssessmentFactors = factor ? [AssessmentFactor.CoercionOrBribery] : [] };
        var d = Evaluate(concern);
        Assert.Equal(fires, d.Fired("F93-01"));
        Assert.Equal(fires, d.Names(Recipient.Mash, "F93-01"));
        Assert.Equal(fires, d.Actions.Any(a => a.Kind == ActionKinds.StrategyDiscussion && a.RuleId == "F93-01"));
        _ = section;
    }

    [Theory]
    [InlineData(PositionOfTrust.Teacher, 16, true, true, "9.1")]
    [InlineData(PositionOfTrust.FosterCarer, 14, true, false, "9.6")]
    [InlineData(PositionOfTrust.SportsCoach, 17, true, true, "9.1")]
    [InlineData(PositionOfTrust.FaithLeader, 15, true, false, "9.6")]
    [InlineData(PositionOfTrust.None, 16, false, false, "9.6")]
    public void POT_01_position_of_trust_goes_to_lado_and_mash(PositionOfTrust role, int age, bool fires, bool exploited, string section)
    {
        var concern = Concern(age).WithActivity(age, 35) with { PersonsOfConcern = [new PersonOfConcern { Name = "Sam Sample", PositionOfTrust = role }] };
        var d = Evaluate(concern);
        Assert.Equal(fires, d.Fired("POT-01"));
        Assert.Equal(fires, d.For(Recipient.Lado) is { Mandatory: true } lado && lado.RuleIds.Contains("POT-01"));
        Assert.Equal(fires, d.Names(Recipient.Mash, "POT-01"));
        Assert.Equal(fires, d.Deadlines.Any(x => x.Kind == DeadlineKinds.LadoReferral && x.DueAt == new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero)));
        Assert.Equal(exploited, d.Flags.Contains(ProtocolFlags.AbuseOfPositionOfTrust));
        _ = section;
    }

    [Theory]
    [InlineData(true, false, false, true, "9.6")]
    [InlineData(false, true, false, true, "9.6")]
    [InlineData(false, false, true, true, "9.6")]
    [InlineData(false, false, false, false, "9.6")]
    public void POT_02_works_with_children_goes_to_lado_whatever_the_age(bool worksWithChildren, bool fosterCarer, bool harmTest, bool fires, string section)
    {
        foreach (var age in new[] { 8, 17 })
        {
            var person = new PersonOfConcern
            {
                Name = "Sam Sample", WorksWithChildren = worksWithChildren, ApprovedFosterCarer = fosterCarer,
                HarmTest = harmTest ? [HarmTest.BehaviourIndicatingRiskOfHarm] : [],
            };
            var d = Evaluate(Concern(age) with { PersonsOfConcern = [person] });
            Assert.Equal(fires, d.Fired("POT-02"));
            Assert.Equal(fires, d.Names(Recipient.Lado, "POT-02"));
            Assert.Equal(fires, d.Deadlines.Any(x => x.Kind == DeadlineKinds.LadoReferral && x.RuleId == "POT-02"));
        }
        _ = section;
    }

    [Theory]
    [InlineData(true, false, false, true, "9.4")]
    [InlineData(false, true, false, true, "9.4")]
    [InlineData(false, false, true, true, "9.4")]
    [InlineData(false, false, false, false, "9.4")]
    public void DIS_01_disabled_child_raises_priority_and_flags_consent(bool disability, bool learning, bool communication, bool fires, string section)
    {
        var c = Concern();
        var d = Evaluate(c with { Child = c.Child with { Disability = disability, LearningDisability = learning, CommunicationDifficulty = communication } });
        Assert.Equal(fires, d.Fired("DIS-01"));
        Assert.Equal(fires, d.Flags.Contains(ProtocolFlags.ConsentDoubtful));
        // The only recipient is MASH for information (routine), raised to same working day for a disabled child.
        Assert.Equal(fires ? Contracts.Sharing.Priority.SameWorkingDay : Contracts.Sharing.Priority.Routine, d.For(Recipient.Mash)!.Priority);
        _ = section;
    }

    [Theory]
    [InlineData(TraffickingType.WithinUk, true, "7")]
    [InlineData(TraffickingType.IntoUk, true, "7")]
    [InlineData(TraffickingType.OutOfUkAndBack, true, "7")]
    public void TRF_01_trafficking_always_goes_to_police(TraffickingType type, bool fires, string section)
    {
        var d = Evaluate(Concern() with { Trafficking = new TraffickingEvidence { Types = [type], ChildSaid = "They drove me to another street." } });
        Assert.Equal(fires, d.Fired("TRF-01"));
        Assert.True(d.For(Recipient.Police) is { Mandatory: true }, section);
        Assert.Contains(d.Warnings, w => w.Field == "trafficking.vehicles");
        Assert.DoesNotContain(d.Warnings, w => w.Field == "trafficking.childSaid");
        Assert.False(Evaluate(Concern()).Fired("TRF-01"));
    }

    [Theory]
    [InlineData(Agency.Police, true, "10.3.3")]
    [InlineData(Agency.Health, false, "10.3.3")]
    public void POL_01_police_concern_goes_to_mash(Agency agency, bool fires, string section)
    {
        var d = Evaluate(Concern(), agency);
        Assert.Equal(fires, d.Fired("POL-01"));
        Assert.Equal(fires, d.Names(Recipient.Mash, "POL-01"));
        _ = section;
    }

    [Theory]
    [InlineData(Agency.Health, ReferrerService.Hospital, ExploitationType.Sexual, null, true, true, "10.1.5")]
    [InlineData(Agency.Probation, ReferrerService.Probation, ExploitationType.NotKnown, ScreeningOutcome.Confirmed, true, false, "10.4.6")]
    [InlineData(Agency.Education, ReferrerService.School, ExploitationType.Both, ScreeningOutcome.Confirmed, true, false, "10.6.8")]
    [InlineData(Agency.Yot, ReferrerService.YouthOffending, ExploitationType.Criminal, null, true, true, "10.9.6")]
    [InlineData(Agency.Police, ReferrerService.LeavingCare, ExploitationType.Sexual, null, true, true, "10.2.5")]
    [InlineData(Agency.Police, ReferrerService.PoliceOfficer, ExploitationType.Sexual, null, false, false, "10.3.3")]
    [InlineData(Agency.Health, ReferrerService.Hospital, ExploitationType.Sexual, ScreeningOutcome.Emerging, false, false, "10.1.5")]
    [InlineData(Agency.Health, ReferrerService.Hospital, ExploitationType.NotKnown, null, false, false, "10.1.5")]
    public void SCR_01_agency_cse_referral_goes_to_mash_with_screening(Agency agency, ReferrerService service, ExploitationType type, ScreeningOutcome? outcome, bool fires, bool warnsMissingScreening, string section)
    {
        var c = Concern();
        var d = Evaluate(c with
        {
            Referrer = c.Referrer with { Service = service },
            ExploitationType = type,
            Screening = outcome is { } o ? new Screening { Outcome = o, ToolVersion = "2017" } : null,
        }, agency);
        Assert.Equal(fires, d.Fired("SCR-01"));
        Assert.Equal(fires, d.Names(Recipient.Mash, "SCR-01"));
        Assert.Equal(warnsMissingScreening, d.Warnings.Any(w => w.Code == "SCR-01.missing-screening"));
        _ = section;
    }

    [Theory]
    [InlineData(ScreeningOutcome.Emerging, true, "10.1.5")]
    [InlineData(ScreeningOutcome.Confirmed, false, "10.1.5")]
    [InlineData(ScreeningOutcome.NoConcern, false, "10.1.5")]
    public void SCR_02_emerging_concern_suggests_early_help(ScreeningOutcome outcome, bool fires, string section)
    {
        var d = Evaluate(Concern() with { Screening = new Screening { Outcome = outcome } });
        Assert.Equal(fires, d.Fired("SCR-02"));
        Assert.Equal(fires, d.Actions.Any(a => a.Kind == ActionKinds.EarlyHelpSuggested));
        if (fires) Assert.False(d.For(Recipient.Mash)!.Mandatory, section);
    }

    [Theory]
    [InlineData(SchoolPhase.Secondary, true, true, "10.6.4")]
    [InlineData(SchoolPhase.Primary, true, false, "10.6.4")]
    [InlineData(SchoolPhase.Secondary, false, false, "10.6.4")]
    public void SCR_03_secondary_pupil_at_risk_of_exclusion(SchoolPhase phase, bool atRisk, bool fires, string section)
    {
        var d = Evaluate(Concern() with { SchoolPhase = phase, AtRiskOfExclusion = atRisk }, Agency.Education);
        Assert.Equal(fires, d.Fired("SCR-03"));
        Assert.Equal(fires, d.Names(Recipient.Mash, "SCR-03"));
        Assert.Equal(fires, d.Actions.Any(a => a.Kind == ActionKinds.ScreeningRequired));
        _ = section;
    }

    [Theory]
    [InlineData(true, true, "10.9.8")]
    [InlineData(false, false, "10.9.8")]
    public void YOT_01_child_exploiting_others_goes_to_police_at_once_and_mash(bool mayBeExploiting, bool fires, string section)
    {
        var d = Evaluate(Concern() with { ChildMayBeExploitingOthers = mayBeExploiting }, Agency.Yot);
        Assert.Equal(fires, d.Fired("YOT-01"));
        Assert.Equal(fires, d.For(Recipient.Police) is { Priority: Contracts.Sharing.Priority.Urgent });
        Assert.Equal(fires, d.Names(Recipient.Mash, "YOT-01"));
        _ = section;
    }

    [Theory]
    [InlineData(18, true, false, true, false, "10.2.2")]
    [InlineData(19, false, false, false, false, "10.2.2")]
    [InlineData(20, false, true, false, true, "10.2.2")]
    [InlineData(17, true, true, false, false, "10.2.5")] // a child: not LC-01
    public void LC_01_care_leaver_disclosure(int age, bool agreed, bool riskToChildren, bool police, bool mash, string section)
    {
        var c = Concern(age);
        var d = Evaluate(c with
        {
            Child = c.Child with { LegalStatus = LegalStatus.CareLeaver },
            Referrer = c.Referrer with { Service = ReferrerService.LeavingCare },
            CareLeaverAgreedToPoliceReferral = agreed,
            RiskToOtherChildrenNamed = riskToChildren,
        });
        Assert.Equal(age >= 18, d.Fired("LC-01"));
        Assert.Equal(police, d.Names(Recipient.Police, "LC-01"));
        Assert.Equal(mash, d.Names(Recipient.Mash, "LC-01"));
        _ = section;
    }

    [Theory]
    [InlineData(ReferrerService.Leisure, false, true, false, "10.10.3")]
    [InlineData(ReferrerService.Libraries, true, true, true, "10.10.3")]
    [InlineData(ReferrerService.Parks, false, true, false, "10.10.3")]
    [InlineData(ReferrerService.Housing, true, true, true, "10.11")]
    [InlineData(ReferrerService.AdultSocialCare, false, true, false, "10.10.2")]
    [InlineData(ReferrerService.School, true, false, false, "10.6")]
    public void OTH_01_other_services_pass_to_police(ReferrerService service, bool harm, bool fires, bool mash, string section)
    {
        var c = Concern();
        var d = Evaluate(c with { Referrer = c.Referrer with { Service = service }, HarmSuspected = harm }, Agency.Education);
        Assert.Equal(fires, d.Fired("OTH-01"));
        Assert.Equal(fires, d.Names(Recipient.Police, "OTH-01"));
        Assert.Equal(mash, d.Names(Recipient.Mash, "OTH-01"));
        _ = section;
    }

    [Theory]
    [InlineData(true, true, "17.4")]
    [InlineData(false, false, "12.3")]
    public void IS_01_always_fires_and_joint_investigation_means_no_family_notification(bool joint, bool noFamily, string section)
    {
        var d = Evaluate(Concern() with { JointInvestigationUnderWay = joint });
        Assert.True(d.Fired("IS-01"), section);
        Assert.Equal(noFamily, d.Flags.Contains(ProtocolFlags.NoFamilyNotification));
    }

    [Theory]
    [InlineData("9990000379", null, null, null, false, false, "12.3")]
    [InlineData(null, "LA-7", null, null, false, false, "12.3")]
    [InlineData(null, null, "Testchild", "2012-01-01", false, false, "12.3")]
    [InlineData(null, null, "Testchild", null, true, false, "12.3")]
    [InlineData(null, null, null, null, true, false, "12.3")]
    [InlineData("9990000378", null, null, null, false, true, "12.3")]
    public void IS_01_warns_when_the_child_cannot_be_identified(string? nhs, string? localId, string? familyName, string? dob, bool missing, bool invalid, string section)
    {
        var c = Concern();
        var d = Evaluate(c with
        {
            Child = c.Child with
            {
                NhsNumber = nhs, LocalChildId = localId, FamilyName = familyName,
                DateOfBirth = dob is null ? null : DateOnly.Parse(dob, System.Globalization.CultureInfo.InvariantCulture), AgeYears = 14,
            },
        });
        Assert.Equal(missing, d.Warnings.Any(w => w.Code == "IS-01.missing-identifiers"));
        Assert.Equal(invalid, d.Warnings.Any(w => w.Code == "IS-01.invalid-nhs-number"));
        _ = section;
    }

    [Theory]
    [InlineData("She is streetwise and a persistent absconder.", true, "8")]
    [InlineData("She went missing three times this month.", false, "8")]
    public void LANG_01_language_is_advisory(string narrative, bool fires, string section)
    {
        var plain = Evaluate(Concern());
        var d = Evaluate(Concern(narrative: narrative));
        Assert.Equal(fires, d.Fired("LANG-01"));
        Assert.Equal(fires, d.Warnings.Any(w => w.Code.StartsWith("LANG-01.", StringComparison.Ordinal) && w.Field == "narrative"));
        // Never blocks and never changes routing.
        Assert.Equal(plain.Recipients.Select(r => (r.Recipient, r.Priority)), d.Recipients.Select(r => (r.Recipient, r.Priority)));
        _ = section;
    }
}
