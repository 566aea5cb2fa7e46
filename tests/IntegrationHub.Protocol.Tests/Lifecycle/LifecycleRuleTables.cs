using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.MissingEpisodes;
using IntegrationHub.Contracts.Referrals;
using IntegrationHub.Contracts.ReturnInterviews;
using IntegrationHub.Protocol.Deadlines;
using IntegrationHub.Protocol.MissingEpisodes;
using IntegrationHub.Protocol.Patterns;
using static IntegrationHub.Protocol.Tests.TestData;

namespace IntegrationHub.Protocol.Tests.Lifecycle;

/// <summary>MIS-01…05, RI-01 and PAT-01 as tables, one row per case, each naming its handbook section.</summary>
public class LifecycleRuleTables
{
    private static readonly MissingEpisodeProtocol Missing = new(Options);
    private static readonly ChildDetails Child = Concern().Child;

    private static ChildReportedMissing Report(bool knownCse = false, MissingFrom from = MissingFrom.Home) => new()
    {
        TrackingId = Guid.NewGuid(), Agency = Agency.Police, ReceivedAt = Now, Child = Child, PoliceReference = "WI-2026-1",
        MissingFrom = from, LastSeenAt = Now.AddHours(-2), KnownCseRisk = knownCse,
    };

    private static ChildFound Found(MissingFrom from = MissingFrom.Home, bool harmed = false, bool crime = false, bool mentalHealth = false,
        bool withSomeone = false, bool learningDisability = false, LegalStatus status = LegalStatus.None) => new()
    {
        TrackingId = Guid.NewGuid(), Agency = Agency.Police, ReceivedAt = Now, PoliceReference = "WI-2026-1", ReturnedAt = Now,
        Child = Child with { LegalStatus = status, LearningDisability = learningDisability },
        MissingFrom = from, Harmed = harmed, CrimeSuspected = crime, MentalHealthConcern = mentalHealth,
        WithWhom = withSomeone ? [new PersonOfConcern { Name = "Adult Example", AgeYears = 30 }] : [],
    };

    [Theory]
    [InlineData(new int[] { }, false, "14")]
    [InlineData(new[] { 10 }, false, "14")]
    [InlineData(new[] { 10, 40 }, true, "14")]
    [InlineData(new[] { 30, 90 }, true, "14")]          // the oldest exactly 90 days ago still counts
    [InlineData(new[] { 30, 91 }, false, "14")]         // one episode fell out of the window
    [InlineData(new[] { 100, 200, 300 }, false, "14")]  // many, but long ago
    public void MIS_01_regularly_missing_is_three_episodes_in_ninety_days(int[] earlierDaysAgo, bool fires, string section)
    {
        var history = new ChildHistory { MissingEpisodes = [.. earlierDaysAgo.Select(d => Now.AddDays(-d))] };
        var d = Missing.Evaluate(Report(), new ProtocolContext(Now, history));
        Assert.Equal(fires, d.Fired("MIS-01"));
        Assert.Equal(fires, d.Flags.Contains(ProtocolFlags.RegularlyMissing));
        if (fires) Assert.Contains(d.Actions, a => a.Kind == ActionKinds.MarpReview && a.RuleId == "MIS-01");
        Assert.Contains(section, d.RulesFired.Select(r => r.Section).Append("14"));
    }

    [Fact]
    public void MIS_01_counts_the_reported_episode_when_the_senders_clock_puts_last_seen_in_the_future()
    {
        var history = new ChildHistory { MissingEpisodes = [Now.AddDays(-10), Now.AddDays(-40)] };
        var d = Missing.Evaluate(Report() with { LastSeenAt = Now.AddMinutes(5) }, new ProtocolContext(Now, history));
        Assert.True(d.Fired("MIS-01"), "14");
        Assert.Equal(Now, MissingEpisodeProtocol.StartOf(Report() with { LastSeenAt = Now.AddMinutes(5) }));
    }

    [Theory]
    [InlineData(2, 30, new[] { 10 }, true, "14")]
    [InlineData(4, 90, new[] { 10, 20 }, false, "14")]
    [InlineData(3, 30, new[] { 10, 40 }, false, "14")]
    public void MIS_01_thresholds_come_from_configuration(int episodes, int windowDays, int[] earlierDaysAgo, bool fires, string section)
    {
        var engine = new MissingEpisodeProtocol(new ProtocolOptions { RegularlyMissingEpisodes = episodes, RegularlyMissingWindowDays = windowDays });
        var history = new ChildHistory { MissingEpisodes = [.. earlierDaysAgo.Select(d => Now.AddDays(-d))] };
        Assert.True(fires == engine.Evaluate(Report(), new ProtocolContext(Now, history)).Fired("MIS-01"), section);
    }

    [Theory]
    [InlineData(MissingFrom.Care, LegalStatus.None, true, "MIS-02", "14.1")]
    [InlineData(MissingFrom.Home, LegalStatus.LookedAfter, true, "MIS-02", "14.1")]
    [InlineData(MissingFrom.Home, LegalStatus.None, false, "MIS-03", "14.1")]
    [InlineData(MissingFrom.Home, LegalStatus.ChildProtectionPlan, false, "MIS-03", "14.1")]
    public void MIS_02_and_03_every_returning_child_gets_a_return_interview_within_72_hours(MissingFrom from, LegalStatus status, bool mandatory, string rule, string section)
    {
        var plan = Missing.Plan(Found(from, status: status), ProtocolContext.At(Now));
        Assert.Equal(mandatory, plan.Mandatory);
        Assert.Equal(rule, plan.RuleId);
        Assert.True(plan.Decision.Fired(rule), section);
        Assert.Equal(Now.AddHours(72), plan.DueAt);
        Assert.Contains(plan.Decision.Deadlines, d => d.Kind == DeadlineKinds.ReturnInterview && d.DueAt == Now.AddHours(72) && d.RuleId == rule);
        Assert.True(plan.Decision.Names(Recipient.Mash, rule));
    }

    [Fact]
    public void MIS_02_the_missing_report_from_care_makes_it_mandatory_even_when_the_found_report_says_nothing()
    {
        var plan = Missing.Plan(Found(MissingFrom.Home), new ProtocolContext(Now, new ChildHistory { MissingFromCare = true }));
        Assert.True(plan.Mandatory);
    }

    [Theory]
    [InlineData(2, false, false, false, false, false, false, new string[] { }, false, "14.1")]
    [InlineData(25, false, false, false, false, false, false, new[] { "MissingOver24Hours" }, false, "14.1")]
    [InlineData(24, false, false, false, false, false, false, new string[] { }, false, "14.1")]
    [InlineData(2, true, false, false, false, false, false, new[] { "Harmed" }, true, "14.1")]
    [InlineData(2, false, true, false, false, false, false, new[] { "CrimeSuspected" }, false, "14.1")]
    [InlineData(2, false, false, true, false, false, false, new[] { "MentalHealthConcern" }, false, "14.1")]
    [InlineData(2, false, false, false, true, false, false, new[] { "ContactWithRiskyPeople" }, true, "14.1")]
    [InlineData(2, false, false, false, false, true, false, new[] { "LearningDisability" }, false, "14.1")]
    [InlineData(2, false, false, false, false, false, true, new[] { "KnownCseRisk" }, false, "15")]
    public void MIS_03_priority_triggers_and_strategy_discussion(int hoursMissing, bool harmed, bool crime, bool mentalHealth, bool withSomeone,
        bool learningDisability, bool knownCse, string[] triggers, bool strategy, string section)
    {
        var history = new ChildHistory { MissingSince = Now.AddHours(-hoursMissing), KnownCseRisk = knownCse };
        var plan = Missing.Plan(Found(harmed: harmed, crime: crime, mentalHealth: mentalHealth, withSomeone: withSomeone, learningDisability: learningDisability),
            new ProtocolContext(Now, history));
        Assert.Equal(triggers, plan.Triggers);
        Assert.Equal(triggers.Length > 0, plan.Priority);
        Assert.Equal(triggers.Length > 0, plan.Decision.Flags.Contains(ProtocolFlags.ReturnInterviewPriority));
        Assert.Equal(strategy, plan.StrategyDiscussion);
        Assert.True(strategy == plan.Decision.Actions.Any(a => a.Kind == ActionKinds.StrategyDiscussion), section);
    }

    [Theory]
    [InlineData(false, false, true, true, true, "MIS-02", "14.1")]   // from care and known CSE risk, only from the missing report
    [InlineData(false, false, false, true, false, "MIS-03", "14.1")] // known CSE risk only: a priority, still offered
    [InlineData(true, true, false, false, null, null, "14.1")]       // the found report's plan was already as strict: not re-planned
    [InlineData(true, true, false, true, null, null, "14.1")]        // a later report saying less never lowers the plan
    public void MIS_02_and_03_a_missing_report_after_the_found_report_raises_the_plan_and_never_lowers_it(bool plannedMandatory, bool plannedPriority,
        bool fromCare, bool knownCse, bool? mandatory, string? rule, string section)
    {
        var planned = new ReturnInterviewPlan(Now.AddHours(72), plannedMandatory, plannedPriority, false,
            plannedPriority ? ["KnownCseRisk"] : [], plannedMandatory ? "MIS-02" : "MIS-03", new DecisionBuilder().Build("test"));
        var known = new ChildHistory { MissingSince = Now.AddHours(-2), MissingFromCare = fromCare, KnownCseRisk = knownCse };
        var plan = Missing.Replan(Found(MissingFrom.Home), planned, new ProtocolContext(Now, known));
        Assert.Equal(mandatory, plan?.Mandatory);
        Assert.Equal(rule, plan?.RuleId);
        if (plan is null) return;
        Assert.True(plan.Priority);
        Assert.Equal(["KnownCseRisk"], plan.Triggers);
        Assert.Equal(Now.AddHours(72), plan.DueAt);
        Assert.True(plan.Decision.Fired(rule!), section);
        Assert.True(plan.Decision.Names(Recipient.Mash, rule!));
    }

    [Theory]
    [InlineData(true, false, true, "15, 10.3.1")]
    [InlineData(false, true, true, "15, 10.3.1")]
    [InlineData(false, false, false, "15")]
    public void MIS_05_missing_child_at_known_CSE_risk_tells_the_coordinator_and_MARP(bool reportSays, bool historySays, bool fires, string section)
    {
        var d = Missing.Evaluate(Report(knownCse: reportSays), new ProtocolContext(Now, new ChildHistory { KnownCseRisk = historySays }));
        Assert.Equal(fires, d.Fired("MIS-05"));
        Assert.Equal(fires, d.Names(Recipient.MissingCoordinator, "MIS-05"));
        Assert.True(fires == d.Names(Recipient.Marp, "MIS-05"), section);
    }

    [Fact]
    public void MIS_05_a_missing_report_after_the_child_was_found_tells_no_one_the_child_is_missing()
    {
        var d = Missing.Evaluate(Report(knownCse: true), new ProtocolContext(Now, new ChildHistory { ReturnedAt = Now.AddHours(-1) }));
        Assert.True(d.Fired("MIS-05"));
        Assert.Contains("found", d.RulesFired.Single(r => r.RuleId == "MIS-05").Reason, StringComparison.Ordinal);
        Assert.Contains(ProtocolFlags.KnownCseRisk, d.Flags);
        Assert.Empty(d.Recipients);
    }

    [Theory]
    [InlineData(DeadlineKinds.ReturnInterview, 0, 0, null, null, "14.1")]              // at the deadline: not yet escalated
    [InlineData(DeadlineKinds.ReturnInterview, 0, -1, null, null, "14.1")]            // 71:59 after return
    [InlineData(DeadlineKinds.ReturnInterview, 0, 1, 1, "SocialWorker", "14.1")]      // 72:00 (due is inclusive, see IsDue)
    [InlineData(DeadlineKinds.ReturnInterview, 1, 1, null, null, "14.1")]            // level 1 made; the grace has not passed
    [InlineData(DeadlineKinds.ReturnInterview, 1, 24 * 60 + 1, 2, "MashManager", "14.1")]
    [InlineData(DeadlineKinds.ReturnInterview, 2, 100 * 60, null, null, "14.1")]      // never a third
    [InlineData(DeadlineKinds.LadoReferral, 0, 1, 1, "Lado", "9.6 NB")]
    [InlineData(DeadlineKinds.MashDecision, 0, 1, 1, "SocialWorker", "10.4.4")]
    [InlineData(DeadlineKinds.MashDecision, 1, 24 * 60 + 1, 2, "MashManager", "10.4.4")]
    public void MIS_04_overdue_steps_escalate_to_the_social_worker_then_the_MASH_manager(string kind, int levelDone, int minutesAfterDue,
        int? level, string? to, string section)
    {
        var due = Now;
        var now = due.AddMinutes(minutesAfterDue).AddSeconds(-1);
        var step = Escalation.Next(kind, levelDone, due, TimeSpan.FromHours(24));
        var owed = step is not null && Escalation.IsDue(step, now) ? step : null;
        Assert.Equal(level, owed?.Level);
        Assert.True(to == owed?.EscalatedTo, section);
    }

    [Theory]
    [InlineData(71 * 60 + 59, false, "14.1")]
    [InlineData(72 * 60, true, "14.1")]
    public void MIS_04_the_72_hour_clock_is_overdue_at_72_00_and_not_at_71_59(int minutesAfterReturn, bool overdue, string section)
    {
        var plan = Missing.Plan(Found(), ProtocolContext.At(Now));
        var step = Escalation.Next(DeadlineKinds.ReturnInterview, 0, plan.DueAt, TimeSpan.FromHours(24))!;
        Assert.True(overdue == Escalation.IsDue(step, Now.AddMinutes(minutesAfterReturn)), section);
    }

    private static ReturnInterviewCompleted Interview(ReturnInterviewOutcome outcome = ReturnInterviewOutcome.Completed, bool signs = false,
        bool persons = false, bool locations = false, bool vehicles = false) => new()
    {
        TrackingId = Guid.NewGuid(), Agency = Agency.Health, ReceivedAt = Now, Child = Child, PoliceReference = "WI-2026-1", CompletedAt = Now,
        CompletedBy = "Independent Interviewer", Independent = true, Outcome = outcome, Findings = "Child described being driven to a flat.",
        Signs = signs ? [Sign.CarsWithUnknownAdults] : [],
        Persons = persons ? [new PersonOfConcern { Name = "Adult Example", AgeYears = 30 }] : [],
        Locations = locations ? [new Location { Postcode = "SN1 2AB" }] : [],
        Vehicles = vehicles ? ["AB12 CDE"] : [],
    };

    [Theory]
    [InlineData(ReturnInterviewOutcome.Completed, false, false, false, false, false, false, "14.1")]
    [InlineData(ReturnInterviewOutcome.Completed, true, false, false, false, true, false, "14.1")]
    [InlineData(ReturnInterviewOutcome.Completed, false, true, false, false, true, true, "14.1")]
    [InlineData(ReturnInterviewOutcome.Completed, false, false, true, false, true, true, "14.1")]
    [InlineData(ReturnInterviewOutcome.Completed, false, false, false, true, true, true, "14.1")]
    [InlineData(ReturnInterviewOutcome.Declined, true, true, false, false, false, false, "14.1")]
    [InlineData(ReturnInterviewOutcome.NotLocated, true, false, false, false, false, false, "14.1")]
    public void RI_01_findings_become_a_new_concern_for_MASH_MARP_and_the_police(ReturnInterviewOutcome outcome, bool signs, bool persons,
        bool locations, bool vehicles, bool concern, bool police, string section)
    {
        var interview = Interview(outcome, signs, persons, locations, vehicles);
        var raised = ReturnInterviewFindings.ConcernFrom(interview);
        Assert.Equal(concern, raised is not null);
        if (raised is null) return;

        var d = Engine.Evaluate(new ConcernRaised
        {
            TrackingId = Guid.NewGuid(), Agency = interview.Agency, ReceivedAt = Now, FromReturnInterview = interview.TrackingId, Concern = raised,
        }, Context);
        Assert.True(d.Fired("RI-01"), section);
        Assert.True(d.Names(Recipient.Mash, "RI-01"));
        Assert.True(d.Names(Recipient.Marp, "RI-01"));
        Assert.Equal(police, d.Names(Recipient.Police, "RI-01"));
        if (vehicles) Assert.Contains(raised.PersonsOfConcern, p => p.Vehicles.Contains("AB12 CDE"));
    }

    [Fact]
    public void RI_01_does_not_fire_for_an_ordinary_concern() => Assert.False(Evaluate(Concern()).Fired("RI-01"));

    [Theory]
    [InlineData("2026-08-28T15:00:00+01:00", "2026-09-01T15:00:00+01:00", "9.6 NB")]  // Friday, bank holiday Monday 31 August → Tuesday
    [InlineData("2026-08-27T15:00:00+01:00", "2026-08-28T15:00:00+01:00", "9.6 NB")]  // Thursday → Friday
    [InlineData("2026-08-29T11:00:00+01:00", "2026-09-02T09:00:00+01:00", "9.6 NB")]  // Saturday: counts from Tuesday 09:00 → Wednesday 09:00
    public void One_working_day_MASH_decision_on_a_return_interview_concern_skips_weekends_and_bank_holidays(string completedAt, string expectedDue, string section)
    {
        var options = new ProtocolOptions(); // the England and Wales rules give Monday 31 August 2026
        var now = DateTimeOffset.Parse(completedAt, System.Globalization.CultureInfo.InvariantCulture);
        var raised = ReturnInterviewFindings.ConcernFrom(Interview(signs: true) with { CompletedAt = now })!;
        var d = new SharingProtocol(options).Evaluate(new ConcernRaised
        {
            TrackingId = Guid.NewGuid(), Agency = Agency.Health, ReceivedAt = now, FromReturnInterview = Guid.NewGuid(), Concern = raised,
        }, ProtocolContext.At(now));
        var due = Assert.Single(d.Deadlines, x => x.Kind == DeadlineKinds.MashDecision);
        Assert.True(DateTimeOffset.Parse(expectedDue, System.Globalization.CultureInfo.InvariantCulture) == due.DueAt, $"{section}: due {due.DueAt:O}");
    }
}
