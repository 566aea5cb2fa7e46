using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Referrals;
using IntegrationHub.Contracts.Sharing;

namespace IntegrationHub.Protocol.Tests;

/// <summary>Synthetic concerns and a fixed clock: Tuesday 1 December 2026, 10:00 in London.</summary>
public static class TestData
{
    public static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    public static readonly ProtocolContext Context = ProtocolContext.At(Now);
    public static readonly ProtocolOptions Options = new();
    public static readonly SharingProtocol Engine = new(Options);

    /// <summary>An identified child of <paramref name="age"/> with nothing else of note; rules are switched on with <c>with</c>.</summary>
    public static Concern Concern(int age = 14, string narrative = "The child was seen in the town centre late at night.") => new()
    {
        Child = new ChildDetails
        {
            NhsNumber = "9990000379",
            GivenName = "Ava",
            FamilyName = "Testchild",
            DateOfBirth = new DateOnly(2026 - age, 6, 1),
            Sex = "female",
            Address = "1 Example Street, Testtown",
            Postcode = "SN1 2AB",
            School = "Testtown Academy",
            SchoolUrn = "123456",
            LocalChildId = "LA-0001",
        },
        SenderReference = "REF-1",
        Referrer = new Referrer { Name = "Pat Example", Role = "School nurse", Service = ReferrerService.SchoolNursing },
        Narrative = narrative,
    };

    public static Concern WithActivity(this Concern concern, int childAge, int? otherAge, bool penetrative = false) => concern with
    {
        SexualActivity = new SexualActivity { ChildAgeAtTime = childAge, OtherPersonAge = otherAge, Penetrative = penetrative },
    };

    public static ConcernRaised Raised(Concern concern, Agency agency = Agency.Health) => new()
    {
        TrackingId = new Guid("6f1c1d2e-0000-4000-8000-000000000001"),
        Agency = agency,
        ReceivedAt = Now,
        Concern = concern,
    };

    public static RoutingDecision Evaluate(Concern concern, Agency agency = Agency.Health) =>
        Engine.Evaluate(Raised(concern, agency), Context);

    public static bool Fired(this RoutingDecision decision, string ruleId) => decision.RulesFired.Any(r => r.RuleId == ruleId);

    public static RecipientDecision? For(this RoutingDecision decision, Recipient recipient) =>
        decision.Recipients.FirstOrDefault(r => r.Recipient == recipient);

    public static bool Names(this RoutingDecision decision, Recipient recipient, string ruleId) =>
        decision.For(recipient) is { } r && r.RuleIds.Contains(ruleId);
}
