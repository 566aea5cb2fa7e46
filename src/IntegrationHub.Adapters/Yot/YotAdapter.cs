using IntegrationHub.Adapters.Inbound;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Referrals;

namespace IntegrationHub.Adapters.Yot;

/// <summary>Maps a YOT concern to the hub's concern.</summary>
public static class YotAdapter
{
    public static InboundResult Read(ReadOnlySpan<byte> body) => InboundResult.Read<YotConcern>(body, Map);

    public static InboundResult Map(YotConcern y)
    {
        var concern = new Concern
        {
            SenderReference = y.YotReference,
            Child = y.Child,
            Referrer = new Referrer { Name = y.Worker.Name, Role = y.Worker.Role ?? "YOT case worker", Service = ReferrerService.YouthOffending, SecureContact = y.Worker.Email },
            NamedLead = y.Manager is null ? null : new NamedLead { Name = y.Manager.Name, Role = y.Manager.Role, SecureContact = y.Manager.Email },
            Narrative = y.Summary,
            OccurredAt = y.OccurredAt,
            ExploitationType = y.ExploitationType,
            Signs = y.Indicators,
            RiskIndicators = y.RiskIndicators,
            PushFactors = y.PushFactors,
            ChildMayBeExploitingOthers = y.MayBeExploitingOthers,
            PersonsOfConcern = y.Associates,
            Locations = y.Locations,
            ImmediateRisk = y.ImmediateRisk,
            Screening = y.Screening,
        };
        return ConcernChecks.Checked(concern, field => field == "narrative" ? "summary" : field.Replace("personsOfConcern", "associates", StringComparison.Ordinal));
    }
}
