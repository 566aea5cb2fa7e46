using System.Text.Json.Serialization;

namespace IntegrationHub.Contracts.Common;

/// <summary>The service within the agency that the referrer works for; several rules depend on it (handbook 10).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReferrerService>))]
public enum ReferrerService
{
    /// <summary>Not given.</summary>
    NotKnown,
    /// <summary>GP practice.</summary>
    GeneralPractice,
    /// <summary>Hospital, including emergency departments.</summary>
    Hospital,
    /// <summary>Sexual health service.</summary>
    SexualHealth,
    /// <summary>Child and adolescent mental health.</summary>
    MentalHealth,
    /// <summary>School nursing or health visiting.</summary>
    SchoolNursing,
    /// <summary>Police officer or police staff.</summary>
    PoliceOfficer,
    /// <summary>Probation officer.</summary>
    Probation,
    /// <summary>School.</summary>
    School,
    /// <summary>Further education college.</summary>
    College,
    /// <summary>Youth offending team.</summary>
    YouthOffending,
    /// <summary>Leaving care personal adviser (handbook 10.2).</summary>
    LeavingCare,
    /// <summary>Children's social care.</summary>
    ChildrensSocialCare,
    /// <summary>Early help services (handbook 10.8).</summary>
    EarlyHelp,
    /// <summary>Leisure and culture (handbook 10.10).</summary>
    Leisure,
    /// <summary>Libraries (handbook 10.10).</summary>
    Libraries,
    /// <summary>Parks and street scene (handbook 10.10).</summary>
    Parks,
    /// <summary>Housing (handbook 10.11).</summary>
    Housing,
    /// <summary>Adult social care (handbook 10.10).</summary>
    AdultSocialCare,
    /// <summary>Any other service.</summary>
    Other,
}
