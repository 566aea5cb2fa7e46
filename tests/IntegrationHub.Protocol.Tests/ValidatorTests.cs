using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Sharing;
using IntegrationHub.Protocol.Sharing;

namespace IntegrationHub.Protocol.Tests;

public class ValidatorTests
{
    private static readonly DateOnly Today = new(2026, 12, 1);

    public static DecisionNotToShare Complete(int age) => new()
    {
        Child = new ChildDetails { GivenName = "Ava", FamilyName = "Testchild", AgeYears = age },
        ChildAgeYears = age,
        Factors = [],
        WithheldFrom = [Recipient.Mash, Recipient.Police],
        Reasons = "Both 15 and 16, close in age, in a consensual relationship; no 9.3 factor; both supported by the sexual health service.",
        DecisionMakers = ["Dr Lee Example"],
        SafeguardingLeadConsulted = "Morgan Example, named nurse",
        SignedBy = "Dr Lee Example",
        SignedOn = new DateOnly(2026, 11, 30),
    };

    [Fact]
    public void Should_accept_a_complete_record_for_a_13_to_15_year_old() => Assert.Empty(DecisionNotToShareValidator.Validate(Complete(15), Today));

    [Fact]
    public void Should_list_every_missing_item_of_an_empty_record()
    {
        var empty = new DecisionNotToShare { Child = new ChildDetails() };
        var problems = DecisionNotToShareValidator.Validate(empty, Today);
        Assert.Equal(
            ["childAgeYears", "withheldFrom", "reasons", "decisionMakers", "safeguardingLeadConsulted", "signedBy", "signedOn"],
            problems.Select(p => p.Field));
        Assert.All(problems, p => Assert.Equal("REC-01", p.RuleId));
        Assert.All(problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Message)));
    }

    [Theory]
    [InlineData(false, false, false, "9.7")] // no concern named: nothing to check
    [InlineData(true, true, false, "9.7")]   // the sender's own concern
    [InlineData(false, true, true, "9.7")]   // another agency's concern, or none: the record would be read as about it
    public void REC_01_a_concern_named_must_be_one_the_sender_sent(bool concernIsTheSenders, bool named, bool refused, string section)
    {
        var record = Complete(15) with { ConcernTrackingId = named ? Guid.Parse("0193a0b4-5f6e-7c3d-8a9b-0c1d2e3f4a5b") : null };
        var problems = DecisionNotToShareValidator.Validate(record, Today, concernIsTheSenders: concernIsTheSenders);
        Assert.True(refused == problems.Any(p => p.Field == "concernTrackingId" && p.RuleId == "REC-01"), section);
    }

    [Theory]
    [InlineData(12, true, "9.2")]
    [InlineData(8, true, "9.2")]
    [InlineData(13, false, "9.2")]
    public void U13_02_under_13_needs_a_senior_managers_approval(int age, bool needsApproval, string section)
    {
        var problems = DecisionNotToShareValidator.Validate(Complete(age), Today);
        Assert.Equal(needsApproval, problems.Any(p => p.Field == "seniorManagerApproval" && p.RuleId == "U13-02"));
        Assert.Empty(DecisionNotToShareValidator.Validate(Complete(age) with { SeniorManagerApproval = "Alex Example, Head of Service" }, Today));
        _ = section;
    }

    [Fact]
    public void Should_ask_for_detailed_reasons_for_a_child_under_13()
    {
        var record = Complete(11) with { Reasons = "Low risk.", SeniorManagerApproval = "Alex Example" };
        var problem = Assert.Single(DecisionNotToShareValidator.Validate(record, Today));
        Assert.Equal(("reasons", "U13-02"), (problem.Field, problem.RuleId));
    }

    [Fact]
    public void Should_reject_a_blank_decision_maker_and_a_date_in_the_future()
    {
        var record = Complete(14) with { DecisionMakers = ["Dr Lee Example", " "], SignedOn = new DateOnly(2026, 12, 2) };
        Assert.Equal(["decisionMakers[1]", "signedOn"], DecisionNotToShareValidator.Validate(record, Today).Select(p => p.Field));
    }

    [Fact]
    public void Should_work_out_the_age_from_the_date_of_birth()
    {
        var record = Complete(14) with { ChildAgeYears = null, Child = new ChildDetails { DateOfBirth = new DateOnly(2014, 12, 2) } };
        Assert.Contains(DecisionNotToShareValidator.Validate(record, Today), p => p.Field == "seniorManagerApproval");
    }

    // Found by a review: the stated age won over the date of birth, so a record about a 12-year-old said to be 13 skipped U13-02.
    [Fact]
    public void Should_take_the_age_from_the_date_of_birth_and_refuse_a_stated_age_that_does_not_fit_it()
    {
        var record = Complete(13) with { Child = new ChildDetails { DateOfBirth = new DateOnly(2014, 5, 1), AgeYears = 13 }, ChildAgeYears = 13 };
        var problems = DecisionNotToShareValidator.Validate(record, Today);
        Assert.Equal(12, DecisionNotToShareValidator.ChildAge(record, Today));
        Assert.Contains(problems, p => (p.Field, p.RuleId) == ("seniorManagerApproval", "U13-02"));
        Assert.Contains(problems, p => p.Field == "childAgeYears" && p.Message.Contains("does not fit the date of birth", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Field == "child.ageYears");
    }

    [Fact]
    public void Should_count_the_age_on_the_day_the_decision_was_signed()
    {
        // 12 when signed on 10 December, 13 by the day the hub receives it: U13-02 applies.
        var record = Complete(12) with { ChildAgeYears = null, Child = new ChildDetails { DateOfBirth = new DateOnly(2013, 12, 1) }, SignedOn = new DateOnly(2026, 11, 29) };
        Assert.Equal(12, DecisionNotToShareValidator.ChildAge(record, Today));
        Assert.Contains(DecisionNotToShareValidator.Validate(record, Today), p => p.Field == "seniorManagerApproval");
    }

    [Fact]
    public void Should_take_the_youngest_of_two_stated_ages_without_a_date_of_birth()
    {
        var record = Complete(13) with { Child = new ChildDetails { AgeYears = 12 } };
        Assert.Contains(DecisionNotToShareValidator.Validate(record, Today), p => p.Field == "seniorManagerApproval");
    }

    [Theory]
    [InlineData(-3)]
    [InlineData(250)]
    public void Should_refuse_an_age_that_is_no_childs(int age)
    {
        var record = Complete(15) with { ChildAgeYears = age, Child = new ChildDetails() };
        Assert.Contains(DecisionNotToShareValidator.Validate(record, Today), p => p.Field == "childAgeYears" && p.Message.Contains("not a child", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_say_a_date_of_birth_after_today_is_after_today()
    {
        var record = Complete(15) with { ChildAgeYears = null, Child = new ChildDetails { DateOfBirth = new DateOnly(2030, 1, 1) } };
        var problems = DecisionNotToShareValidator.Validate(record, Today);
        Assert.Contains(problems, p => p.Field == "child.dateOfBirth" && p.Message.Contains("after today", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Field == "childAgeYears");
    }

    [Theory]
    [InlineData("1900-01-01")]
    [InlineData("0001-01-01")]
    [InlineData("2010-06-30")]
    public void Should_refuse_a_signature_dated_before_the_child_was_born(string signedOn)
    {
        var byDob = Complete(14) with { ChildAgeYears = null, Child = new ChildDetails { DateOfBirth = new DateOnly(2012, 6, 1) }, SignedOn = DateOnly.Parse(signedOn, System.Globalization.CultureInfo.InvariantCulture) };
        var byAge = Complete(14) with { SignedOn = DateOnly.Parse(signedOn, System.Globalization.CultureInfo.InvariantCulture) };
        Assert.Contains(DecisionNotToShareValidator.Validate(byDob, Today), p => p.Field == "signedOn" && p.Message.Contains("before the child was born", StringComparison.Ordinal));
        Assert.Contains(DecisionNotToShareValidator.Validate(byAge, Today), p => p.Field == "signedOn" && p.Message.Contains("before the child was born", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_not_take_filler_for_detailed_reasons_or_a_placeholder_for_a_name()
    {
        var record = Complete(11) with
        {
            Reasons = "a" + new string(' ', 78) + "b" + new string('\u200B', 80),
            SeniorManagerApproval = "-",
            DecisionMakers = ["n/a", "\u200B\u200B"],
            SafeguardingLeadConsulted = "yes",
            SignedBy = "x",
        };
        Assert.Equal(
            ["decisionMakers[0]", "decisionMakers[1]", "safeguardingLeadConsulted", "signedBy", "seniorManagerApproval", "reasons"],
            DecisionNotToShareValidator.Validate(record, Today).Select(p => p.Field));
    }
}

public class AnonymousConsultationTests
{
    private static readonly ProtocolOptions Options = new();

    [Theory]
    [InlineData(12, "U13-01", "9.5")]
    [InlineData(13, null, "9.2")]
    [InlineData(15, null, "9.2")]
    [InlineData(16, "Y13-03", "9.2")]
    [InlineData(null, "Y13-03", "9.2")]
    public void Check_allows_only_13_to_15(int? age, string? refusedBy, string section)
    {
        Assert.Equal(refusedBy, AnonymousConsultation.Check(age, Options)?.RuleId);
        _ = section;
    }

    [Fact]
    public void Strip_removes_direct_and_indirect_identifiers_and_keeps_the_age()
    {
        var concern = TestData.Concern(14, "Ava Testchild said she was picked up by a man called Dan.");
        var stripped = AnonymousConsultation.Strip(concern, TestData.Now);
        var c = stripped.Child;
        Assert.All(new[] { c.NhsNumber, c.LocalChildId, c.GivenName, c.FamilyName, c.Address, c.Postcode, c.School, c.SchoolUrn }, Assert.Null);
        Assert.Null(c.DateOfBirth);
        Assert.Null(stripped.SenderReference);
        Assert.Equal(14, c.AgeYears);
        Assert.Equal("[child] [child] said she was picked up by a man called Dan.", stripped.Narrative);
    }
}
