using IntegrationHub.Contracts.Common;

namespace IntegrationHub.Adapters.Health;

/// <summary>What the coded indicators of one referral add up to, before it becomes a <c>Concern</c>.</summary>
internal sealed class ConcernDraft
{
    public List<Sign> Signs { get; } = [];
    public List<PushFactor> PushFactors { get; } = [];
    public List<RiskIndicator> RiskIndicators { get; } = [];
    public List<PullFactor> PullFactors { get; } = [];
    public List<AssessmentFactor> AssessmentFactors { get; } = [];
    public List<TraffickingType> TraffickingTypes { get; } = [];
    public LegalStatus LegalStatus { get; set; } = LegalStatus.NotKnown;
    public ReferrerService? Service { get; set; }
    public bool ImmediateRisk { get; set; }
    public bool Trafficking { get; set; }
    public bool Sexual { get; set; }
    public bool Criminal { get; set; }
    public bool ChildMayBeExploitingOthers { get; set; }
    public bool HarmSuspected { get; set; }
    public bool JointInvestigationUnderWay { get; set; }
    public bool AtRiskOfExclusion { get; set; }
    public bool RiskToOtherChildrenNamed { get; set; }
    public bool AnonymousConsultationRequested { get; set; }
    public bool CareLeaverAgreedToPoliceReferral { get; set; }
    public bool Disability { get; set; }
    public bool LearningDisability { get; set; }
    public bool CommunicationDifficulty { get; set; }

    /// <summary>Displays of the indicators applied, in order, for a referral that came with no narrative.</summary>
    public List<string> Applied { get; } = [];

    public ExploitationType ExploitationType => (Sexual, Criminal) switch
    {
        (true, true) => ExploitationType.Both,
        (true, false) => ExploitationType.Sexual,
        (false, true) => ExploitationType.Criminal,
        _ => ExploitationType.NotKnown,
    };

    public static void AddOnce<T>(List<T> list, T value)
    {
        if (!list.Contains(value))
        {
            list.Add(value);
        }
    }
}
