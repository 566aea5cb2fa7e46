using System.Text.Json;
using FsCheck.Xunit;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Referrals;
using IntegrationHub.Contracts.Sharing;
using IntegrationHub.Protocol.Release;
using static IntegrationHub.Protocol.Tests.TestData;

namespace IntegrationHub.Protocol.Tests;

/// <summary>Concerns generated from an FsCheck seed: every field varied, ages across every boundary and beyond.</summary>
public static class Generated
{
    public static ConcernRaised Message(int seed, string? narrative)
    {
        var r = new Random(seed);
        T Pick<T>(T[] values) => values[r.Next(values.Length)];
        IReadOnlyList<T> Some<T>() where T : struct, Enum => Enum.GetValues<T>().Where(_ => r.Next(4) == 0).ToArray();
        bool Coin() => r.Next(2) == 0;
        int? Age() => r.Next(6) == 0 ? null : r.Next(-2, 45);

        var age = Age();
        var persons = Enumerable.Range(0, r.Next(4)).Select(i => new PersonOfConcern
        {
            Name = $"Person {i}",
            AgeYears = Age(),
            PositionOfTrust = r.Next(4) == 0 ? Pick(Enum.GetValues<PositionOfTrust>()) : PositionOfTrust.None,
            WorksWithChildren = r.Next(5) == 0,
            ApprovedFosterCarer = r.Next(8) == 0,
            HarmTest = r.Next(6) == 0 ? Some<HarmTest>() : [],
            Vehicles = Coin() ? ["AB12CDE"] : [],
        }).ToArray();
        var concern = new Concern
        {
            SenderReference = Coin() ? "REF-9" : null,
            Child = new ChildDetails
            {
                NhsNumber = Pick(new[] { null, "9990000743", "9990000742", "12" }),
                LocalChildId = Coin() ? "LA-9" : null,
                GivenName = Coin() ? "Noor" : null,
                FamilyName = Coin() ? "Sampleson" : null,
                DateOfBirth = r.Next(3) == 0 ? new DateOnly(r.Next(1990, 2030), r.Next(1, 13), r.Next(1, 29)) : null,
                AgeYears = age,
                Address = Coin() ? "2 Example Road" : null,
                Postcode = Coin() ? "SN3 3CD" : null,
                LegalStatus = Pick(Enum.GetValues<LegalStatus>()),
                Disability = r.Next(6) == 0,
                LearningDisability = r.Next(6) == 0,
                CommunicationDifficulty = r.Next(6) == 0,
                School = Coin() ? "Example School" : null,
                SchoolUrn = Coin() ? "654321" : null,
            },
            Referrer = new Referrer { Name = "R Example", Service = Pick(Enum.GetValues<ReferrerService>()) },
            Narrative = narrative ?? "",
            ExploitationType = Pick(Enum.GetValues<ExploitationType>()),
            Signs = Some<Sign>(),
            PushFactors = Some<PushFactor>(),
            RiskIndicators = Some<RiskIndicator>(),
            PullFactors = Some<PullFactor>(),
            AssessmentFactors = r.Next(3) == 0 ? Some<AssessmentFactor>() : [],
            SexualActivity = Coin() ? new SexualActivity { ChildAgeAtTime = Age(), OtherPersonAge = Age(), Penetrative = Coin(), DescribedAsConsensualRelationship = Coin() } : null,
            PersonsOfConcern = persons,
            Locations = Coin() ? [new Location { PlaceName = "Park", Postcode = "SN1 1AA" }] : [],
            ImmediateRisk = r.Next(5) == 0,
            Trafficking = r.Next(5) == 0 ? new TraffickingEvidence { Types = Some<TraffickingType>() } : null,
            Screening = Coin() ? new Screening { Outcome = Pick(Enum.GetValues<ScreeningOutcome>()) } : null,
            JointInvestigationUnderWay = r.Next(4) == 0,
            AnonymousConsultationRequested = r.Next(4) == 0,
            ChildMayBeExploitingOthers = r.Next(6) == 0,
            AtRiskOfExclusion = r.Next(4) == 0,
            SchoolPhase = Coin() ? Pick(Enum.GetValues<SchoolPhase>()) : null,
            HarmSuspected = Coin(),
            CareLeaverAgreedToPoliceReferral = Coin(),
            RiskToOtherChildrenNamed = Coin(),
        };
        return new ConcernRaised { TrackingId = Guid.Empty, Agency = Pick(Enum.GetValues<Agency>()), ReceivedAt = Now, Concern = concern };
    }
}

public class Properties
{
    /// <summary>The recipients each "must" rule names (PROTOCOL.md).</summary>
    private static readonly Dictionary<string, Recipient[]> Must = new()
    {
        ["IMM-01"] = [Recipient.Police, Recipient.Mash],
        ["U13-01"] = [Recipient.Mash],
        ["Y13-02"] = [Recipient.Mash],
        ["Y16-01"] = [Recipient.Mash],
        ["F93-01"] = [Recipient.Mash],
        ["POT-01"] = [Recipient.Lado, Recipient.Mash],
        ["POT-02"] = [Recipient.Lado],
        ["TRF-01"] = [Recipient.Police],
        ["POL-01"] = [Recipient.Mash],
        ["SCR-01"] = [Recipient.Mash],
        ["SCR-03"] = [Recipient.Mash],
        ["YOT-01"] = [Recipient.Police, Recipient.Mash],
        ["OTH-01"] = [Recipient.Police],
    };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Property(MaxTest = 500)]
    public bool A_must_rule_that_fires_always_names_its_recipient(int seed)
    {
        var d = Engine.Evaluate(Generated.Message(seed, "text"), Context);
        return d.RulesFired.All(rule => !Must.TryGetValue(rule.RuleId, out var recipients)
            || recipients.All(r => d.For(r) is { Mandatory: true } rd && rd.RuleIds.Contains(rule.RuleId)));
    }

    [Property(MaxTest = 500)]
    public bool No_concern_is_dropped(int seed) => Engine.Evaluate(Generated.Message(seed, null), Context).Recipients.Count > 0;

    [Property(MaxTest = 300)]
    public bool A_marp_cut_never_carries_an_identifier(int seed)
    {
        var message = Generated.Message(seed, "Noor Sampleson, SN3 3CD, 9990000743");
        var cut = ReleaseProfiles.Cut(message.Concern, Recipient.Marp, Now);
        var c = cut.Child;
        var json = JsonSerializer.Serialize(cut, Json);
        return c.NhsNumber is null && c.LocalChildId is null && c.GivenName is null && c.FamilyName is null && c.DateOfBirth is null
            && c.Address is null && c.Postcode is null && c.School is null && c.SchoolUrn is null && cut.SenderReference is null
            && !json.Contains("9990000743", StringComparison.Ordinal) && !json.Contains("Sampleson", StringComparison.Ordinal)
            && !json.Contains("SN3 3CD", StringComparison.Ordinal);
    }

    [Property(MaxTest = 300)]
    public bool Evaluation_is_deterministic(int seed, string? narrative)
    {
        var first = JsonSerializer.Serialize(Engine.Evaluate(Generated.Message(seed, narrative), Context), Json);
        var second = JsonSerializer.Serialize(new SharingProtocol(new ProtocolOptions()).Evaluate(Generated.Message(seed, narrative), Context), Json);
        return first == second;
    }

    [Property(MaxTest = 1000)]
    public void No_generated_input_makes_the_engine_throw(int seed, string? narrative)
    {
        var message = Generated.Message(seed, narrative);
        var d = Engine.Evaluate(message, Context);
        foreach (var r in d.Recipients) ReleaseProfiles.Cut(message.Concern, r.Recipient, Now, d.Flags);
        Language.LanguageCheck.Find(narrative, new Language.LanguageContext(seed % 30, seed % 50));
    }
}
