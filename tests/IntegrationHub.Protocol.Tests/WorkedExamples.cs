using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Sharing;
using static IntegrationHub.Protocol.Tests.TestData;

namespace IntegrationHub.Protocol.Tests;

/// <summary>Handbook 9.2: "a considerable age difference (i.e. 13 + 17)".</summary>
public class When_a_13_year_old_has_sex_with_a_17_year_old
{
    private readonly RoutingDecision _decision = Evaluate(Concern(13).WithActivity(13, 17));

    [Fact] public void Should_refer_to_mash() => Assert.True(_decision.For(Recipient.Mash) is { Mandatory: true });
    [Fact] public void Should_name_the_considerable_age_gap() => Assert.True(_decision.Fired("Y13-02"));
    [Fact] public void Should_still_ask_the_sender_to_assess() => Assert.Contains(_decision.Actions, a => a.Kind == ActionKinds.AssessmentBySender);
    [Fact] public void Should_start_the_mash_decision_clock_for_one_working_day() =>
        Assert.Contains(_decision.Deadlines, d => d.Kind == DeadlineKinds.MashDecision && d.DueAt == new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));
}

/// <summary>Handbook 9.2: "15 + 21".</summary>
public class When_a_15_year_old_has_sex_with_a_21_year_old
{
    private readonly RoutingDecision _decision = Evaluate(Concern(15).WithActivity(15, 21));

    [Fact] public void Should_refer_to_mash() => Assert.True(_decision.Names(Recipient.Mash, "Y13-02") && _decision.For(Recipient.Mash)!.Mandatory);
}

/// <summary>Handbook 9.7: 15 and 16, close in age, in a consensual relationship, no 9.3 factor: a decision not to share may apply.</summary>
public class When_a_15_year_old_is_in_a_consensual_relationship_with_a_16_year_old
{
    private readonly RoutingDecision _decision = Evaluate(Concern(15).WithActivity(15, 16) with
    {
        SexualActivity = new SexualActivity { ChildAgeAtTime = 15, OtherPersonAge = 16, DescribedAsConsensualRelationship = true },
    });

    [Fact] public void Should_not_require_a_mash_referral() => Assert.False(_decision.For(Recipient.Mash)!.Mandatory);
    [Fact] public void Should_flag_that_no_referral_is_required() => Assert.Contains(ProtocolFlags.NoReferralRequired, _decision.Flags);
    [Fact] public void Should_still_give_mash_the_concern_for_information() =>
        Assert.True(_decision.For(Recipient.Mash) is { Priority: Priority.Routine } m && m.RuleIds.SequenceEqual(["IS-01"]));
    [Fact] public void Should_ask_only_for_the_senders_assessment() =>
        Assert.Equal([ActionKinds.AssessmentBySender], _decision.Actions.Select(a => a.Kind));
    [Fact] public void Should_name_no_other_recipient() => Assert.Single(_decision.Recipients);
    [Fact] public void Should_accept_a_complete_decision_not_to_share() =>
        Assert.Empty(Sharing.DecisionNotToShareValidator.Validate(ValidatorTests.Complete(15), DateOnly.FromDateTime(Now.UtcDateTime)));
}

/// <summary>Handbook 9.2: "older children who are known to have had sexual activity with significantly older adults (i.e. 17 + 33)".</summary>
public class When_a_17_year_old_has_sex_with_a_33_year_old
{
    private readonly RoutingDecision _decision = Evaluate(Concern(17).WithActivity(17, 33));

    [Fact] public void Should_treat_it_as_a_concern() => Assert.True(_decision.Fired("Y16-01"));
    [Fact] public void Should_refer_to_mash() => Assert.True(_decision.Names(Recipient.Mash, "Y16-01"));
    [Fact] public void Should_ask_the_sender_to_assess_as_for_13_to_15() => Assert.Contains(_decision.Actions, a => a.Kind == ActionKinds.AssessmentBySender && a.RuleId == "Y16-01");
}

/// <summary>Handbook 9.1, 9.6: a 16-17-year-old in sexual activity with a teacher is being sexually exploited; the LADO must be told.</summary>
public class When_a_teacher_has_sex_with_a_16_year_old_pupil
{
    private readonly RoutingDecision _decision = Evaluate(Concern(16).WithActivity(16, 29) with
    {
        PersonsOfConcern = [new PersonOfConcern { Name = "Chris Sample", Role = "teacher", Employer = "Testtown Academy", PositionOfTrust = PositionOfTrust.Teacher, WorksWithChildren = true }],
    }, Agency.Education);

    [Fact] public void Should_refer_to_the_lado_as_a_must() => Assert.True(_decision.For(Recipient.Lado) is { Mandatory: true } l && l.RuleIds.Contains("POT-01"));
    [Fact] public void Should_refer_to_mash() => Assert.True(_decision.Names(Recipient.Mash, "POT-01"));
    [Fact] public void Should_flag_the_abuse_of_a_position_of_trust() => Assert.Contains(ProtocolFlags.AbuseOfPositionOfTrust, _decision.Flags);
    [Fact] public void Should_start_the_lado_clock_for_one_working_day() =>
        Assert.Contains(_decision.Deadlines, d => d.Kind == DeadlineKinds.LadoReferral && d.DueAt == new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));
    [Fact] public void Should_not_give_the_lado_health_detail() => Assert.Contains("screening", _decision.For(Recipient.Lado)!.FieldsWithheld);
}

/// <summary>Handbook 9.2: penetrative sex with a child under 13 is rape.</summary>
public class When_a_12_year_old_discloses_penetrative_sex
{
    private readonly RoutingDecision _decision = Evaluate(Concern(12).WithActivity(12, 19, penetrative: true) with { AnonymousConsultationRequested = true });

    [Fact] public void Should_flag_rape_of_a_child_under_13() => Assert.Contains(ProtocolFlags.RapeOfChildUnder13, _decision.Flags);
    [Fact] public void Should_presume_significant_harm() => Assert.Contains(ProtocolFlags.SignificantHarmPresumed, _decision.Flags);
    [Fact] public void Should_hold_a_strategy_discussion() => Assert.Contains(_decision.Actions, a => a.Kind == ActionKinds.StrategyDiscussion && a.RuleId == "U13-01");
    [Fact] public void Should_refuse_an_anonymous_consultation() =>
        Assert.Contains(_decision.Warnings, w => w.Code == "U13-01.anonymous-consultation-refused");
    [Fact] public void Should_keep_the_child_identified_for_mash() => Assert.Contains("child.nhsNumber", _decision.For(Recipient.Mash)!.FieldsReleased);
}

/// <summary>Handbook 9.6: immediate risk goes to the police first, even with a position of trust.</summary>
public class When_a_child_at_immediate_risk_names_a_foster_carer
{
    private readonly RoutingDecision _decision = Evaluate(Concern(14) with
    {
        ImmediateRisk = true,
        PersonsOfConcern = [new PersonOfConcern { Name = "Jo Sample", PositionOfTrust = PositionOfTrust.FosterCarer, ApprovedFosterCarer = true }],
    });

    [Fact] public void Should_tell_the_police_first() => Assert.Equal(Recipient.Police, _decision.Recipients[0].Recipient);
    [Fact] public void Should_also_tell_the_lado_and_mash() =>
        Assert.True(_decision.For(Recipient.Lado) is not null && _decision.For(Recipient.Mash) is not null);
    [Fact] public void Should_order_recipients_by_priority() =>
        Assert.Equal(_decision.Recipients.Select(r => r.Priority).OrderByDescending(p => p), _decision.Recipients.Select(r => r.Priority));
}
