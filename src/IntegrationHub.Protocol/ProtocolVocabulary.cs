namespace IntegrationHub.Protocol;

/// <summary>Flags a decision can carry (<c>RoutingDecision.Flags</c>). Stable strings: recipients and dashboards match on them.</summary>
public static class ProtocolFlags
{
    public const string ImmediateRisk = "ImmediateRisk";
    public const string SignificantHarmPresumed = "SignificantHarmPresumed";
    public const string RapeOfChildUnder13 = "RapeOfChildUnder13";
    public const string ConsentDoubtful = "ConsentDoubtful";
    public const string AbuseOfPositionOfTrust = "AbuseOfPositionOfTrust";
    public const string TraffickingSuspected = "TraffickingSuspected";
    public const string ChildMayBeExploitingOthers = "ChildMayBeExploitingOthers";
    public const string NoFamilyNotification = "NoFamilyNotification";
    /// <summary>The hub allowed an anonymous consultation: every copy must be cut with <see cref="Sharing.AnonymousConsultation.Strip"/>.</summary>
    public const string AnonymousConsultation = "AnonymousConsultation";
    public const string NoReferralRequired = "NoReferralRequired";
    public const string ReturnInterviewMandatory = "ReturnInterviewMandatory";
    public const string ReturnInterviewPriority = "ReturnInterviewPriority";
    public const string RegularlyMissing = "RegularlyMissing";
    public const string KnownCseRisk = "KnownCseRisk";
    public const string ReturnInterviewFindings = "ReturnInterviewFindings";

    /// <summary>The concern's fields each flag speaks of: a recipient that may not see one of them does not get the flag.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> SpeaksOf = new Dictionary<string, IReadOnlyList<string>>
    {
        [ImmediateRisk] = ["immediateRisk"],
        [SignificantHarmPresumed] = ["sexualActivity"],
        [RapeOfChildUnder13] = ["sexualActivity"],
        [ConsentDoubtful] = ["child.disability", "child.learningDisability", "child.communicationDifficulty"],
        [AbuseOfPositionOfTrust] = ["personsOfConcern", "sexualActivity"],
        [TraffickingSuspected] = ["trafficking"],
        [ChildMayBeExploitingOthers] = ["childMayBeExploitingOthers"],
        [NoFamilyNotification] = ["jointInvestigationUnderWay"],
    };
}

/// <summary>Kinds of <c>RequiredAction</c> the rules ask for.</summary>
public static class ActionKinds
{
    public const string StrategyDiscussion = "StrategyDiscussion";
    public const string AssessmentBySender = "AssessmentBySender";
    public const string LadoConsultation = "LadoConsultation";
    public const string SeniorManagerApproval = "SeniorManagerApproval";
    public const string EarlyHelpSuggested = "EarlyHelpSuggested";
    public const string ScreeningRequired = "ScreeningRequired";
    public const string SecureTraffickingEvidence = "SecureTraffickingEvidence";
    public const string SeekAgreementToTellPolice = "SeekAgreementToTellPolice";
    public const string DiscussWithSafeguardingLead = "DiscussWithSafeguardingLead";
    public const string ReturnInterview = "ReturnInterview";
    public const string MarpReview = "MarpReview";
}

/// <summary>Kinds of <c>Deadline</c> the rules start.</summary>
public static class DeadlineKinds
{
    public const string MashDecision = "MashDecision";
    public const string LadoReferral = "LadoReferral";
    public const string ReturnInterview = "ReturnInterview";
}

/// <summary>Who owns an action or a deadline, as the operations board shows it.</summary>
public static class Owners
{
    public const string Mash = "MASH";
    public const string MashWithPolice = "MASH with police and children's social care";
    public const string Lado = "LADO";
    public const string Police = "Police";
    public const string Sender = "sender's safeguarding lead";
    public const string SenderSeniorManager = "sender's senior manager";
    public const string SocialWorker = "child's social worker / MASH";
    public const string Marp = "MARP";
    public const string MissingCoordinator = "missing coordinator";
}
