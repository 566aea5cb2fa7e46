namespace IntegrationHub.Protocol.Rules;

/// <summary>
/// The rules evaluated for a concern, in the order their reasons read best. Y13-03 runs before IS-01 (an anonymous
/// consultation silences the missing-identifier warning) and IS-01 after every rule that names a recipient (its
/// fallback only applies when none did). MIS, RI and PAT rules belong to missing-episode and return-interview
/// messages and to the pattern store, and arrive in their own lists.
/// </summary>
public static class ConcernRules
{
    public static readonly IReadOnlyList<IProtocolRule> All =
    [
        new ImmediateRisk(),
        new ChildUnder13SexualActivity(),
        new UnderageSexualActivity(),
        new ConsiderableAgeGap(),
        new SignificantlyOlderPartner(),
        new AssessmentFactorPresent(),
        new PositionOfTrustAllegation(),
        new WorksWithChildrenAllegation(),
        new TraffickingSuspected(),
        new ChildExploitingOthers(),
        new PoliceConcern(),
        new ScreeningForAgencyReferral(),
        new EmergingConcern(),
        new PupilAtRiskOfExclusion(),
        new CareLeaverDisclosure(),
        new OtherServicesConcern(),
        new DisabledChild(),
        new AnonymousConsultationRequested(),
        new ReturnInterviewDisclosure(),
        new InformationSharing(),
        new LanguageAndLabelling(),
    ];
}
