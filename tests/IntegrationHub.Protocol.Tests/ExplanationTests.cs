using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Referrals;
using IntegrationHub.Protocol.Release;
using IntegrationHub.Protocol.Rules;
using static IntegrationHub.Protocol.Tests.TestData;

namespace IntegrationHub.Protocol.Tests;

/// <summary>
/// Each recipient's explanation (rules, actions, deadlines, flags) is cut as its copy of the concern is: a reason that
/// names what the profile holds back would carry it past the cut.
/// </summary>
public class ExplanationTests
{
    /// <summary>A 14-year-old with a learning disability, at immediate risk, trafficked, with a teacher named: MASH, police and the LADO are told.</summary>
    private static readonly Concern Rich = Concern() with
    {
        Child = Concern().Child with { LearningDisability = true },
        ImmediateRisk = true,
        Trafficking = new TraffickingEvidence { Types = [TraffickingType.WithinUk], ChildSaid = "They drove me to another street." },
        PersonsOfConcern = [new PersonOfConcern { Name = "Chris Sample", Role = "teacher", PositionOfTrust = PositionOfTrust.Teacher, WorksWithChildren = true }],
    };

    [Fact]
    public void The_police_are_not_told_the_impairment_that_their_profile_holds_back()
    {
        var decision = Evaluate(Rich);
        Assert.Contains("child.learningDisability", ReleaseProfiles.For(Recipient.Police).Withheld);

        var police = ReleaseProfiles.Explain(decision, Recipient.Police);
        var mash = ReleaseProfiles.Explain(decision, Recipient.Mash);

        var dis01 = Assert.Single(police.RulesFired, r => r.RuleId == "DIS-01");
        Assert.Equal("9.4", dis01.Section);
        Assert.DoesNotContain("learning disability", dis01.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("child.learningDisability", dis01.Reason);
        Assert.DoesNotContain(ProtocolFlags.ConsentDoubtful, police.Flags);
        Assert.Contains("learning disability", Assert.Single(mash.RulesFired, r => r.RuleId == "DIS-01").Reason);
        Assert.Contains(ProtocolFlags.ConsentDoubtful, mash.Flags);
        Assert.Equal(decision.RulesFired, mash.RulesFired);
    }

    [Fact]
    public void The_lado_is_not_told_the_trafficking_its_profile_holds_back_nor_given_its_tasks()
    {
        var decision = Evaluate(Rich);
        Assert.Contains(decision.Recipients, r => r.Recipient == Recipient.Lado);

        var lado = ReleaseProfiles.Explain(decision, Recipient.Lado);

        Assert.Contains("WithinUk", Assert.Single(decision.RulesFired, r => r.RuleId == "TRF-01").Reason);
        Assert.DoesNotContain("WithinUk", Assert.Single(lado.RulesFired, r => r.RuleId == "TRF-01").Reason);
        Assert.DoesNotContain(lado.Actions, a => a.RuleId == "TRF-01");
        Assert.DoesNotContain(ProtocolFlags.TraffickingSuspected, lado.Flags);
        Assert.Contains(lado.Actions, a => a.RuleId == "POT-01" || a.RuleId == "POT-02");
        Assert.Contains(lado.Deadlines, d => d.Kind == DeadlineKinds.LadoReferral);
        Assert.Equal(decision.RulesFired.Select(r => r.RuleId), lado.RulesFired.Select(r => r.RuleId));
    }

    [Fact]
    public void Every_field_a_rule_or_flag_speaks_of_is_a_field_of_the_concern()
    {
        var fields = ReleaseProfiles.AllFields.ToHashSet();
        Assert.All(ConcernRules.All.SelectMany(r => r.SpeaksOf), f => Assert.Contains(f, fields));
        Assert.All(ProtocolFlags.SpeaksOf.Values.SelectMany(f => f), f => Assert.Contains(f, fields));
    }
}
