using IntegrationHub.Adapters.Inbound;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Referrals;

namespace IntegrationHub.Adapters.Probation;

/// <summary>Maps a probation concern to the hub's concern.</summary>
public static class ProbationAdapter
{
    public static InboundResult Read(ReadOnlySpan<byte> body) => InboundResult.Read<ProbationConcern>(body, Map);

    public static InboundResult Map(ProbationConcern p)
    {
        var persons = new List<PersonOfConcern>(p.OtherPersons);
        if (p.SupervisedPerson.PersonOfConcern)
        {
            persons.Insert(0, new PersonOfConcern
            {
                Name = p.SupervisedPerson.Name,
                DateOfBirth = p.SupervisedPerson.DateOfBirth,
                AgeYears = p.SupervisedPerson.AgeYears,
                Role = $"supervised by probation; {p.SupervisedPerson.RelationshipToChild}" +
                       (p.SupervisedPerson.RegisteredSexOffender ? "; registered sex offender" : ""),
                WorksWithChildren = p.SupervisedPerson.WorksWithChildren,
                Vehicles = p.SupervisedPerson.Vehicles,
                Phones = p.SupervisedPerson.Phones,
            });
        }
        var concern = new Concern
        {
            SenderReference = p.CaseReference,
            Child = p.Child,
            Referrer = new Referrer
            {
                Name = p.Officer.Name, Role = p.Officer.Role ?? "Probation officer", Service = ReferrerService.Probation,
                OrganisationCode = p.ProbationDeliveryUnit, SecureContact = p.Officer.Email,
            },
            // The line manager who oversaw the referral is the agency's accountable lead for it.
            NamedLead = new NamedLead { Name = p.LineManager.Name, Role = p.LineManager.Role ?? "Line manager", SecureContact = p.LineManager.Email },
            Narrative = p.Summary,
            OccurredAt = p.OccurredAt,
            ExploitationType = p.ExploitationType,
            Signs = p.Indicators,
            RiskIndicators = p.RiskIndicators,
            PersonsOfConcern = persons,
            Locations = p.Locations,
            ImmediateRisk = p.ImmediateRisk,
            Screening = p.Screening,
        };
        return ConcernChecks.Checked(concern, field => field == "narrative" ? "summary" : field);
    }
}
