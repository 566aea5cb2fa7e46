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
