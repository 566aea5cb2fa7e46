using BenchmarkDotNet.Attributes;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Referrals;
using IntegrationHub.Contracts.Sharing;
using IntegrationHub.Protocol.Language;

namespace IntegrationHub.Protocol.Benchmarks;

/// <summary>One decision on a realistic concern: 20+ indicators, 3 persons, a 1.5 KB narrative, language check included.</summary>
[MemoryDiagnoser]
public class EvaluateBenchmarks
{
    private const string Narrative =
        "Amelia is 15 and has been living with her mother and two younger brothers. Over the last six weeks her attendance has fallen " +
        "from 96% to 61% and staff have seen her being collected at the school gates by different cars driven by adult men. On 24 November " +
        "she arrived at school at 11:20 wearing new trainers and with a second mobile phone, and she told a friend that her boyfriend, who " +
        "is 24, buys her whatever she wants. She has been reported missing overnight twice this month; on the second occasion she was found " +
        "by police at 03:10 in a flat above a takeaway on the high street with two adult males and another girl from Year 10. She appeared " +
        "intoxicated and had a bruise on her upper arm that she could not explain. Her mother says she is frightened of the men and that a car " +
        "parks outside the house late at night. Amelia has told her form tutor that she cannot talk about it because she will get into trouble " +
        "and that people will hurt her brothers if she does. She has been self-harming and the school nurse has seen her twice this term. The " +
        "screening tool was completed on 26 November with the designated safeguarding lead and confirms a concern. We believe she is being " +
        "groomed and sexually exploited by an older group and that she may have been taken to addresses in another town. One of the men is " +
        "known locally as 'Rez' and drives a silver hatchback. Another works as a volunteer coach at the leisure centre. We have informed her " +
        "mother of our concerns and she supports this referral. Please advise on next steps.";

    private readonly SharingProtocol _protocol = new(new ProtocolOptions());
    private readonly ProtocolContext _context = ProtocolContext.At(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
    private readonly ConcernRaised _message = new()
    {
        TrackingId = Guid.Parse("0b8f2c1e-1111-4000-8000-000000000042"),
        Agency = Agency.Education,
        ReceivedAt = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero),
        Concern = new Concern
        {
            SenderReference = "DSL-2026-051",
            Child = new ChildDetails
            {
                NhsNumber = "9990000743", LocalChildId = "SBC-10001", GivenName = "Amelia", FamilyName = "Testcase",
                DateOfBirth = new DateOnly(2011, 9, 9), Sex = "female", Address = "3 Example Close, Testtown", Postcode = "SN1 2AB",
                LegalStatus = LegalStatus.ChildInNeed, School = "Testtown Academy", SchoolUrn = "999001",
            },
            Referrer = new Referrer { Name = "Morgan Example", Role = "Designated safeguarding lead", Service = ReferrerService.School, OrganisationCode = "999001" },
            Narrative = Narrative,
            ExploitationType = ExploitationType.Sexual,
            Signs = [Sign.AbusiveRelationships, Sign.SexualActivityUnder16, Sign.OlderOrAntisocialGroups, Sign.UnexplainedGifts, Sign.MultiplePhones,
                Sign.CarsWithUnknownAdults, Sign.OlderBoyfriendOrGirlfriend, Sign.DisengagedFromEducation, Sign.SelfHarm, Sign.SubstanceMisuse, Sign.Injuries],
            PushFactors = [PushFactor.FamilyBreakdown, PushFactor.EmotionalDifficulties],
            RiskIndicators = [RiskIndicator.GoingMissing, RiskIndicator.EducationDisengagement, RiskIndicator.AssociatingWithRiskyAdults,
                RiskIndicator.UnexplainedPossessions, RiskIndicator.PhysicalSymptoms],
            PullFactors = [PullFactor.LikedBySomeoneOlder, PullFactor.GivenAlcoholDrugsMoneyOrGifts, PullFactor.GivenLiftsAndTakenPlaces],
            AssessmentFactors = [AssessmentFactor.SignificantAgeImbalance, AssessmentFactor.CoercionOrBribery, AssessmentFactor.SecrecyBeyondTeenageNorm],
            SexualActivity = new SexualActivity { ChildAgeAtTime = 15, OtherPersonAge = 24 },
            PersonsOfConcern =
            [
                new PersonOfConcern { Name = "'Rez'", AgeYears = 24, Role = "older 'boyfriend'", Vehicles = ["AB12CDE"], Phones = ["+447700900123"] },
                new PersonOfConcern { Name = "Unknown male", AgeYears = 35, Role = "adult associate" },
                new PersonOfConcern { Name = "Dean Example", AgeYears = 41, Role = "volunteer coach", WorksWithChildren = true },
            ],
            Locations = [new Location { Description = "flat above a takeaway", Postcode = "SN1 5XY" }],
            Screening = new Screening { ToolVersion = "2017.06", Outcome = ScreeningOutcome.Confirmed, CompletedOn = new DateOnly(2026, 11, 26) },
            SchoolPhase = SchoolPhase.Secondary,
        },
    };

    [Benchmark]
    public RoutingDecision Evaluate() => _protocol.Evaluate(_message, _context);

    [Benchmark]
    public int LanguageCheckOnly() => LanguageCheck.Find(Narrative, new LanguageContext(15, 24)).Count;
}
