using System.Text;
using Hl7.Fhir.Model;
using IntegrationHub.Contracts.Common;

namespace IntegrationHub.Adapters.Health;

/// <summary>A code of the hub's safeguarding-indicator CodeSystem.</summary>
/// <param name="Code">The code senders put in <c>Coding.code</c>, e.g. <c>sign-unexplained-gifts</c>.</param>
/// <param name="Display">What it means; for enum values, the contract's own XML doc summary.</param>
/// <param name="Group">Which part of the concern it fills: sign, push-factor, risk-indicator, ... or flag.</param>
public sealed record SafeguardingConcept(string Code, string Display, string Group)
{
    internal Action<ConcernDraft> Apply { get; init; } = _ => { };
}

/// <summary>
/// The CodeSystem the hub publishes for coding safeguarding indicators in FHIR (Flag.code, Observation.code,
/// ServiceRequest.reasonCode, PractitionerRole.code). Generated from the contract enums so they never drift.
/// </summary>
public static class HealthCodeSystem
{
    /// <summary>The canonical URL senders put in <c>Coding.system</c>.</summary>
    public const string Url = "https://fhir.integrationhub.dev/CodeSystem/safeguarding-indicator";

    /// <summary>Version of the CodeSystem; bump it when a concept is added.</summary>
    public const string Version = "1.0.0";

    /// <summary>Every concept, in a stable order: one per value of Sign, PushFactor, RiskIndicator, PullFactor, AssessmentFactor, LegalStatus, TraffickingType, ReferrerService, then the flags.</summary>
    public static IReadOnlyList<SafeguardingConcept> Concepts { get; } = BuildConcepts();

    private static readonly Dictionary<string, SafeguardingConcept> ByCode =
        Concepts.ToDictionary(c => c.Code, StringComparer.Ordinal);

    /// <summary>Looks a code up; codes are case-sensitive.</summary>
    public static SafeguardingConcept? Find(string? code) =>
        code is not null && ByCode.TryGetValue(code, out var concept) ? concept : null;

    /// <summary>The code for an enum value, e.g. <c>Sign.UnexplainedGifts</c> gives <c>sign-unexplained-gifts</c>.</summary>
    public static string CodeFor<TEnum>(TEnum value) where TEnum : struct, Enum =>
        $"{PrefixFor(typeof(TEnum))}-{Kebab(value.ToString())}";

    /// <summary>The CodeSystem resource, as published at <see cref="Url"/> and in docs/examples/fhir.</summary>
    public static CodeSystem Build()
    {
        var codeSystem = new CodeSystem
        {
            Id = "safeguarding-indicator",
            Url = Url,
            Version = Version,
            Name = "SafeguardingIndicator",
            Title = "IntegrationHub safeguarding indicators",
            Status = PublicationStatus.Active,
            Experimental = false,
            Publisher = "IntegrationHub",
            Description = new Markdown(
                "Signs (handbook 5), push factors, risk indicators and pull factors (handbook 6), 9.3 assessment factors, " +
                "legal status, trafficking types, referrer services and flags that a health referral to IntegrationHub can carry " +
                "as Flag.code, Observation.code or ServiceRequest.reasonCode. Generated from the hub's contracts."),
            CaseSensitive = true,
            Content = CodeSystemContentMode.Complete,
            Count = Concepts.Count,
        };
        codeSystem.Property.Add(new CodeSystem.PropertyComponent
        {
            Code = "group",
            Description = "Which part of the concern the code fills.",
            Type = CodeSystem.PropertyType.Code,
        });
        foreach (var concept in Concepts)
        {
            var definition = new CodeSystem.ConceptDefinitionComponent
            {
                Code = concept.Code,
                Display = concept.Display,
            };
            definition.Property.Add(new CodeSystem.ConceptPropertyComponent { Code = "group", Value = new Code(concept.Group) });
            codeSystem.Concept.Add(definition);
        }

        return codeSystem;
    }

    private static SafeguardingConcept FromEnum<TEnum>(TEnum value, string display, Action<ConcernDraft> apply)
        where TEnum : struct, Enum
    {
        return new SafeguardingConcept(CodeFor(value), display, GroupFor(typeof(TEnum))) { Apply = apply };
    }

    private static SafeguardingConcept Flag(string code, string display, Action<ConcernDraft> apply) =>
        new(code, display, "flag") { Apply = apply };

    private static string PrefixFor(Type type) => type.Name switch
    {
        nameof(Sign) => "sign",
        nameof(PushFactor) => "push",
        nameof(RiskIndicator) => "risk",
        nameof(PullFactor) => "pull",
        nameof(AssessmentFactor) => "assessment",
        nameof(LegalStatus) => "legal-status",
        nameof(TraffickingType) => "trafficking",
        nameof(ReferrerService) => "service",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type.Name, "Not an enum the CodeSystem covers."),
    };

    private static string GroupFor(Type type) => type.Name switch
    {
        nameof(Sign) => "sign",
        nameof(PushFactor) => "push-factor",
        nameof(RiskIndicator) => "risk-indicator",
        nameof(PullFactor) => "pull-factor",
        nameof(AssessmentFactor) => "assessment-factor",
        nameof(LegalStatus) => "legal-status",
        nameof(TraffickingType) => "trafficking-type",
        nameof(ReferrerService) => "referrer-service",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type.Name, "Not an enum the CodeSystem covers."),
    };

    /// <summary><c>SexualActivityUnder16</c> becomes <c>sexual-activity-under-16</c>.</summary>
    internal static string Kebab(string pascal)
    {
        var builder = new StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            var boundary = i > 0 && (char.IsUpper(c) || (char.IsAsciiDigit(c) && !char.IsAsciiDigit(pascal[i - 1])));
            if (boundary)
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    private static List<SafeguardingConcept> BuildConcepts() =>
    [
        // Sign
        FromEnum(Sign.AbusiveRelationships, "Involved in abusive relationships, intimidated and fearful of certain people or situations.", d => ConcernDraft.AddOnce(d.Signs, Sign.AbusiveRelationships)),
        FromEnum(Sign.SexualActivityUnder16, "Sexual activity under 16: sexualised or sexually risky behaviour, swapping sex, repeat STIs, pregnancy.", d => ConcernDraft.AddOnce(d.Signs, Sign.SexualActivityUnder16)),
        FromEnum(Sign.OlderOrAntisocialGroups, "Hanging out with groups of older people, antisocial groups or other vulnerable peers.", d => ConcernDraft.AddOnce(d.Signs, Sign.OlderOrAntisocialGroups)),
        FromEnum(Sign.UnexplainedGifts, "Unexplained gifts, unaffordable new things or expensive habits.", d => ConcernDraft.AddOnce(d.Signs, Sign.UnexplainedGifts)),
        FromEnum(Sign.MultiplePhones, "Multiple mobile phones; worried about losing contact.", d => ConcernDraft.AddOnce(d.Signs, Sign.MultiplePhones)),
        FromEnum(Sign.HotelsOrUnusualLocations, "Going to hotels or other unusual locations to meet friends.", d => ConcernDraft.AddOnce(d.Signs, Sign.HotelsOrUnusualLocations)),
        FromEnum(Sign.PlacesOfConcern, "Seen at known places of concern such as hotels or brothels.", d => ConcernDraft.AddOnce(d.Signs, Sign.PlacesOfConcern)),
        FromEnum(Sign.MovingAroundCountry, "Moving around the country, appearing in new towns, not knowing where they are.", d => ConcernDraft.AddOnce(d.Signs, Sign.MovingAroundCountry)),
        FromEnum(Sign.CarsWithUnknownAdults, "Getting in and out of different cars driven by unknown adults.", d => ConcernDraft.AddOnce(d.Signs, Sign.CarsWithUnknownAdults)),
        FromEnum(Sign.OlderBoyfriendOrGirlfriend, "Having an older partner.", d => ConcernDraft.AddOnce(d.Signs, Sign.OlderBoyfriendOrGirlfriend)),
        FromEnum(Sign.ContactWithKnownPerpetrators, "Contact with known perpetrators.", d => ConcernDraft.AddOnce(d.Signs, Sign.ContactWithKnownPerpetrators)),
        FromEnum(Sign.AssociatingWithExploitedChildren, "Associating with other children involved in exploitation.", d => ConcernDraft.AddOnce(d.Signs, Sign.AssociatingWithExploitedChildren)),
        FromEnum(Sign.RecruitingOtherChildren, "Recruiting other children to exploitative situations.", d => ConcernDraft.AddOnce(d.Signs, Sign.RecruitingOtherChildren)),
        FromEnum(Sign.DisengagedFromEducation, "Truancy, exclusion, disengagement from school.", d => ConcernDraft.AddOnce(d.Signs, Sign.DisengagedFromEducation)),
        FromEnum(Sign.BehaviourChange, "Unexplained changes in behaviour or personality.", d => ConcernDraft.AddOnce(d.Signs, Sign.BehaviourChange)),
        FromEnum(Sign.SelfHarm, "Self-harm, suicidal thoughts or attempts, overdosing, eating disorders.", d => ConcernDraft.AddOnce(d.Signs, Sign.SelfHarm)),
        FromEnum(Sign.SubstanceMisuse, "Drug or alcohol misuse.", d => ConcernDraft.AddOnce(d.Signs, Sign.SubstanceMisuse)),
        FromEnum(Sign.PoliceInvolvement, "Police involvement or records.", d => ConcernDraft.AddOnce(d.Signs, Sign.PoliceInvolvement)),
        FromEnum(Sign.GangInvolvement, "Involved in gangs.", d => ConcernDraft.AddOnce(d.Signs, Sign.GangInvolvement)),
        FromEnum(Sign.Injuries, "Injuries from physical or sexual assault or restraint.", d => ConcernDraft.AddOnce(d.Signs, Sign.Injuries)),
        // PushFactor
        FromEnum(PushFactor.PriorAbuse, "Victim of physical, sexual or emotional abuse or neglect.", d => ConcernDraft.AddOnce(d.PushFactors, PushFactor.PriorAbuse)),
        FromEnum(PushFactor.DomesticAbuse, "Household with domestic violence and abuse.", d => ConcernDraft.AddOnce(d.PushFactors, PushFactor.DomesticAbuse)),
        FromEnum(PushFactor.ParentalVulnerability, "Parents with high vulnerabilities (substance misuse, mental illness, learning disability).", d => ConcernDraft.AddOnce(d.PushFactors, PushFactor.ParentalVulnerability)),
        FromEnum(PushFactor.FamilyBreakdown, "Family breakdown, disrupted family life, problematic parenting.", d => ConcernDraft.AddOnce(d.PushFactors, PushFactor.FamilyBreakdown)),
        FromEnum(PushFactor.InsecureImmigrationStatus, "Insecure immigration status.", d => ConcernDraft.AddOnce(d.PushFactors, PushFactor.InsecureImmigrationStatus)),
        FromEnum(PushFactor.PhysicalOrLearningImpairment, "Physical or learning impairment.", d => ConcernDraft.AddOnce(d.PushFactors, PushFactor.PhysicalOrLearningImpairment)),
        FromEnum(PushFactor.EmotionalDifficulties, "Emotional difficulties, low self-esteem, estranged family relationships.", d => ConcernDraft.AddOnce(d.PushFactors, PushFactor.EmotionalDifficulties)),
        // RiskIndicator
        FromEnum(RiskIndicator.GoingMissing, "Going missing: the most immediate indicator.", d => ConcernDraft.AddOnce(d.RiskIndicators, RiskIndicator.GoingMissing)),
        FromEnum(RiskIndicator.EducationDisengagement, "Disengagement from education.", d => ConcernDraft.AddOnce(d.RiskIndicators, RiskIndicator.EducationDisengagement)),
        FromEnum(RiskIndicator.SubstanceDependency, "Drug or alcohol dependency.", d => ConcernDraft.AddOnce(d.RiskIndicators, RiskIndicator.SubstanceDependency)),
        FromEnum(RiskIndicator.PhysicalSymptoms, "STIs, miscarriage, abortion, bruising or marks of assault.", d => ConcernDraft.AddOnce(d.RiskIndicators, RiskIndicator.PhysicalSymptoms)),
        FromEnum(RiskIndicator.LackOfAdultAttention, "Not receiving appropriate attention from concerned adults.", d => ConcernDraft.AddOnce(d.RiskIndicators, RiskIndicator.LackOfAdultAttention)),
        FromEnum(RiskIndicator.AssociatingWithRiskyAdults, "Associating with older men or other risky adults.", d => ConcernDraft.AddOnce(d.RiskIndicators, RiskIndicator.AssociatingWithRiskyAdults)),
        FromEnum(RiskIndicator.UnexplainedMoney, "Social activities with no plausible source of money.", d => ConcernDraft.AddOnce(d.RiskIndicators, RiskIndicator.UnexplainedMoney)),
        FromEnum(RiskIndicator.UnexplainedPossessions, "New possessions, money, clothes or drugs without plausible explanation.", d => ConcernDraft.AddOnce(d.RiskIndicators, RiskIndicator.UnexplainedPossessions)),
        FromEnum(RiskIndicator.AlienatedFromFamily, "Alienated from family or community.", d => ConcernDraft.AddOnce(d.RiskIndicators, RiskIndicator.AlienatedFromFamily)),
        FromEnum(RiskIndicator.PlacementBreakdown, "In care with placement breakdown.", d => ConcernDraft.AddOnce(d.RiskIndicators, RiskIndicator.PlacementBreakdown)),
        FromEnum(RiskIndicator.AssociatingWithVictims, "Associating with children known to be victims of exploitation.", d => ConcernDraft.AddOnce(d.RiskIndicators, RiskIndicator.AssociatingWithVictims)),
        FromEnum(RiskIndicator.Offending, "Some kinds of offending behaviour.", d => ConcernDraft.AddOnce(d.RiskIndicators, RiskIndicator.Offending)),
        // PullFactor
        FromEnum(PullFactor.LikedBySomeoneOlder, "Being liked by someone older.", d => ConcernDraft.AddOnce(d.PullFactors, PullFactor.LikedBySomeoneOlder)),
        FromEnum(PullFactor.AskedForNumberByStranger, "A stranger asks for their mobile number.", d => ConcernDraft.AddOnce(d.PullFactors, PullFactor.AskedForNumberByStranger)),
        FromEnum(PullFactor.MetSomeoneOnline, "Meeting someone online who thinks they are special.", d => ConcernDraft.AddOnce(d.PullFactors, PullFactor.MetSomeoneOnline)),
        FromEnum(PullFactor.GivenAlcoholDrugsMoneyOrGifts, "Receiving alcohol, drugs, money or gifts.", d => ConcernDraft.AddOnce(d.PullFactors, PullFactor.GivenAlcoholDrugsMoneyOrGifts)),
        FromEnum(PullFactor.ExcitementOfRisk, "The buzz of risk-taking or forbidden behaviour.", d => ConcernDraft.AddOnce(d.PullFactors, PullFactor.ExcitementOfRisk)),
        FromEnum(PullFactor.OfferedPlaceToStay, "Offered somewhere to stay with no rules.", d => ConcernDraft.AddOnce(d.PullFactors, PullFactor.OfferedPlaceToStay)),
        FromEnum(PullFactor.TakenToAdultVenues, "Taken to adult venues, red-light areas or public sex environments.", d => ConcernDraft.AddOnce(d.PullFactors, PullFactor.TakenToAdultVenues)),
        FromEnum(PullFactor.GivenLiftsAndTakenPlaces, "Given lifts, taken to new places by casual acquaintances.", d => ConcernDraft.AddOnce(d.PullFactors, PullFactor.GivenLiftsAndTakenPlaces)),
        // AssessmentFactor
        FromEnum(AssessmentFactor.WithdrawnOrAnxious, "Behaviour of the child: withdrawn or anxious.", d => ConcernDraft.AddOnce(d.AssessmentFactors, AssessmentFactor.WithdrawnOrAnxious)),
        FromEnum(AssessmentFactor.LimitedMaturityOrUnderstanding, "Not competent to understand and consent to the activity.", d => ConcernDraft.AddOnce(d.AssessmentFactors, AssessmentFactor.LimitedMaturityOrUnderstanding)),
        FromEnum(AssessmentFactor.ConcerningLivingCircumstances, "What is known of the child's living circumstances or background.", d => ConcernDraft.AddOnce(d.AssessmentFactors, AssessmentFactor.ConcerningLivingCircumstances)),
        FromEnum(AssessmentFactor.FamilialChildSexOffences, "Familial child sex offences.", d => ConcernDraft.AddOnce(d.AssessmentFactors, AssessmentFactor.FamilialChildSexOffences)),
        FromEnum(AssessmentFactor.SignificantAgeImbalance, "Age imbalance, in particular a significant age difference.", d => ConcernDraft.AddOnce(d.AssessmentFactors, AssessmentFactor.SignificantAgeImbalance)),
        FromEnum(AssessmentFactor.AggressionOrPowerImbalance, "Overt aggression or power imbalance.", d => ConcernDraft.AddOnce(d.AssessmentFactors, AssessmentFactor.AggressionOrPowerImbalance)),
        FromEnum(AssessmentFactor.CoercionOrBribery, "Coercion or bribery, including sex for favours or unexplained money or valuables.", d => ConcernDraft.AddOnce(d.AssessmentFactors, AssessmentFactor.CoercionOrBribery)),
        FromEnum(AssessmentFactor.SubstancesAsDisinhibitor, "Misuse or giving of substances as a disinhibitor.", d => ConcernDraft.AddOnce(d.AssessmentFactors, AssessmentFactor.SubstancesAsDisinhibitor)),
        FromEnum(AssessmentFactor.SubstanceMisusePreventsInformedChoice, "The child's own substance misuse prevents an informed choice.", d => ConcernDraft.AddOnce(d.AssessmentFactors, AssessmentFactor.SubstanceMisusePreventsInformedChoice)),
        FromEnum(AssessmentFactor.SecrecyBeyondTeenageNorm, "Attempts by the partner to secure secrecy beyond what is usual.", d => ConcernDraft.AddOnce(d.AssessmentFactors, AssessmentFactor.SecrecyBeyondTeenageNorm)),
        FromEnum(AssessmentFactor.DeniesOrMinimises, "The child denies or minimises concerns.", d => ConcernDraft.AddOnce(d.AssessmentFactors, AssessmentFactor.DeniesOrMinimises)),
        FromEnum(AssessmentFactor.GroomingOrConcerningAdult, "Methods consistent with grooming, or an accompanying adult who gives cause for concern.", d => ConcernDraft.AddOnce(d.AssessmentFactors, AssessmentFactor.GroomingOrConcerningAdult)),
        FromEnum(AssessmentFactor.PartnerKnownToAgencies, "The sexual partner is known to one of the agencies.", d => ConcernDraft.AddOnce(d.AssessmentFactors, AssessmentFactor.PartnerKnownToAgencies)),
        // LegalStatus
        FromEnum(LegalStatus.None, "No statutory involvement known.", d => d.LegalStatus = LegalStatus.None),
        FromEnum(LegalStatus.ChildInNeed, "Child in need (s17).", d => d.LegalStatus = LegalStatus.ChildInNeed),
        FromEnum(LegalStatus.ChildProtectionPlan, "Subject of a child protection plan (s47).", d => d.LegalStatus = LegalStatus.ChildProtectionPlan),
        FromEnum(LegalStatus.LookedAfter, "Looked after by the local authority (s20 or s31).", d => d.LegalStatus = LegalStatus.LookedAfter),
        FromEnum(LegalStatus.CareLeaver, "A care leaver (up to 25, with a personal adviser).", d => d.LegalStatus = LegalStatus.CareLeaver),
        // TraffickingType
        FromEnum(TraffickingType.IntoUk, "Trafficked from abroad into the UK.", d => { d.Trafficking = true; ConcernDraft.AddOnce(d.TraffickingTypes, TraffickingType.IntoUk); }),
        FromEnum(TraffickingType.WithinUk, "Moved from one place to another within the UK.", d => { d.Trafficking = true; ConcernDraft.AddOnce(d.TraffickingTypes, TraffickingType.WithinUk); }),
        FromEnum(TraffickingType.OutOfUkAndBack, "Taken out of the UK and brought back.", d => { d.Trafficking = true; ConcernDraft.AddOnce(d.TraffickingTypes, TraffickingType.OutOfUkAndBack); }),
        // ReferrerService
        FromEnum(ReferrerService.GeneralPractice, "GP practice.", d => d.Service = ReferrerService.GeneralPractice),
        FromEnum(ReferrerService.Hospital, "Hospital, including emergency departments.", d => d.Service = ReferrerService.Hospital),
        FromEnum(ReferrerService.SexualHealth, "Sexual health service.", d => d.Service = ReferrerService.SexualHealth),
        FromEnum(ReferrerService.MentalHealth, "Child and adolescent mental health.", d => d.Service = ReferrerService.MentalHealth),
        FromEnum(ReferrerService.SchoolNursing, "School nursing or health visiting.", d => d.Service = ReferrerService.SchoolNursing),
        FromEnum(ReferrerService.PoliceOfficer, "Police officer or police staff.", d => d.Service = ReferrerService.PoliceOfficer),
        FromEnum(ReferrerService.Probation, "Probation officer.", d => d.Service = ReferrerService.Probation),
        FromEnum(ReferrerService.School, "School.", d => d.Service = ReferrerService.School),
        FromEnum(ReferrerService.College, "Further education college.", d => d.Service = ReferrerService.College),
        FromEnum(ReferrerService.YouthOffending, "Youth offending team.", d => d.Service = ReferrerService.YouthOffending),
        FromEnum(ReferrerService.LeavingCare, "Leaving care personal adviser (handbook 10.2).", d => d.Service = ReferrerService.LeavingCare),
        FromEnum(ReferrerService.ChildrensSocialCare, "Children's social care.", d => d.Service = ReferrerService.ChildrensSocialCare),
        FromEnum(ReferrerService.EarlyHelp, "Early help services (handbook 10.8).", d => d.Service = ReferrerService.EarlyHelp),
        FromEnum(ReferrerService.Leisure, "Leisure and culture (handbook 10.10).", d => d.Service = ReferrerService.Leisure),
        FromEnum(ReferrerService.Libraries, "Libraries (handbook 10.10).", d => d.Service = ReferrerService.Libraries),
        FromEnum(ReferrerService.Parks, "Parks and street scene (handbook 10.10).", d => d.Service = ReferrerService.Parks),
        FromEnum(ReferrerService.Housing, "Housing (handbook 10.11).", d => d.Service = ReferrerService.Housing),
        FromEnum(ReferrerService.AdultSocialCare, "Adult social care (handbook 10.10).", d => d.Service = ReferrerService.AdultSocialCare),
        FromEnum(ReferrerService.Other, "Any other service.", d => d.Service = ReferrerService.Other),
        // Flags: booleans of the concern and the child.
        Flag("immediate-risk", "The child is at immediate risk: the police are told first (handbook 9.6, 10.3.6).", d => d.ImmediateRisk = true),
        Flag("trafficking", "Trafficking is suspected (handbook 7); add a trafficking-type code if the movement is known.", d => d.Trafficking = true),
        Flag("exploitation-sexual", "Child sexual exploitation (CSE) is suspected.", d => d.Sexual = true),
        Flag("exploitation-criminal", "Child criminal exploitation (CCE), including county lines, is suspected.", d => d.Criminal = true),
        Flag("child-may-be-exploiting-others", "The child may be exploiting other children (handbook 10.9.8).", d => d.ChildMayBeExploitingOthers = true),
        Flag("harm-suspected", "Harm to the child is suspected (handbook 10.10.3).", d => d.HarmSuspected = true),
        Flag("joint-investigation-under-way", "A joint police and social care investigation is under way: the family is never notified (handbook 17.4).", d => d.JointInvestigationUnderWay = true),
        Flag("at-risk-of-exclusion", "The pupil is at risk of exclusion (handbook 10.6.4).", d => d.AtRiskOfExclusion = true),
        Flag("risk-to-other-children-named", "The disclosure names risks to children under 18 (handbook 10.2.2).", d => d.RiskToOtherChildrenNamed = true),
        Flag("anonymous-consultation-requested", "The sender asks for an anonymous consultation (13 to 15 only; handbook 9.2).", d => d.AnonymousConsultationRequested = true),
        Flag("care-leaver-agreed-to-police-referral", "A care leaver aged 18 or over has agreed, on record, to the police being told (handbook 10.2.2).", d => d.CareLeaverAgreedToPoliceReferral = true),
        Flag("disability", "The child is disabled (handbook 9.4).", d => d.Disability = true),
        Flag("learning-disability", "The child has a learning disability (handbook 9.4).", d => d.LearningDisability = true),
        Flag("communication-difficulty", "The child has a communication difficulty (handbook 9.4).", d => d.CommunicationDifficulty = true),
    ];
}
