using System.Text.Json.Serialization;

namespace IntegrationHub.Contracts.Common;

/// <summary>The assessment criteria of handbook 9.3. Any one, with sexual activity, means a referral to MASH and a strategy discussion (9.5); the child's age alone is not a factor here.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AssessmentFactor>))]
public enum AssessmentFactor
{
    /// <summary>Behaviour of the child: withdrawn or anxious.</summary>
    WithdrawnOrAnxious,
    /// <summary>Not competent to understand and consent to the activity.</summary>
    LimitedMaturityOrUnderstanding,
    /// <summary>What is known of the child's living circumstances or background.</summary>
    ConcerningLivingCircumstances,
    /// <summary>Familial child sex offences.</summary>
    FamilialChildSexOffences,
    /// <summary>Age imbalance, in particular a significant age difference.</summary>
    SignificantAgeImbalance,
    /// <summary>Overt aggression or power imbalance.</summary>
    AggressionOrPowerImbalance,
    /// <summary>Coercion or bribery, including sex for favours or unexplained money or valuables.</summary>
    CoercionOrBribery,
    /// <summary>Misuse or giving of substances as a disinhibitor.</summary>
    SubstancesAsDisinhibitor,
    /// <summary>The child's own substance misuse prevents an informed choice.</summary>
    SubstanceMisusePreventsInformedChoice,
    /// <summary>Attempts by the partner to secure secrecy beyond what is usual.</summary>
    SecrecyBeyondTeenageNorm,
    /// <summary>The child denies or minimises concerns.</summary>
    DeniesOrMinimises,
    /// <summary>Methods consistent with grooming, or an accompanying adult who gives cause for concern.</summary>
    GroomingOrConcerningAdult,
    /// <summary>The sexual partner is known to one of the agencies.</summary>
    PartnerKnownToAgencies,
}
