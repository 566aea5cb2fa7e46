using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.Referrals;
using IntegrationHub.Contracts.ReturnInterviews;

namespace IntegrationHub.Protocol.MissingEpisodes;

/// <summary>RI-01 (handbook 14.1): turns what a return interview disclosed into a concern for the protocol.</summary>
public static class ReturnInterviewFindings
{
    public const string Id = "RI-01";
    public const string Section = "14.1";

    /// <summary>True when the interview took place and disclosed signs, persons, locations or vehicles.</summary>
    public static bool Discloses(ReturnInterviewCompleted interview) =>
        interview.Outcome == ReturnInterviewOutcome.Completed
        && (interview.Signs.Count > 0 || interview.Persons.Count > 0 || interview.Locations.Count > 0 || interview.Vehicles.Count > 0);

    /// <summary>The concern the findings amount to, or null when they disclose nothing.</summary>
    public static Concern? ConcernFrom(ReturnInterviewCompleted interview)
    {
        if (!Discloses(interview)) return null;
        var persons = interview.Persons.ToList();
        // Vehicles the child named without a person: kept on an unidentified person so the police and the pattern index see them.
        var attached = persons.SelectMany(p => p.Vehicles).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var loose = interview.Vehicles.Where(v => !attached.Contains(v)).ToList();
        if (loose.Count > 0)
            persons.Add(new PersonOfConcern { Role = "unidentified person linked to vehicles the child named at the return interview", Vehicles = loose });

        return new Concern
        {
            Agency = interview.Agency,
            SenderReference = interview.PoliceReference,
            Child = interview.Child,
            Referrer = new Referrer { Name = interview.CompletedBy, Role = interview.Independent ? "independent return interviewer" : "return interviewer" },
            Narrative = "Return interview findings (handbook 14.1): " + (string.IsNullOrWhiteSpace(interview.Findings) ? "no summary given." : interview.Findings),
            OccurredAt = interview.CompletedAt,
            Signs = interview.Signs,
            PersonsOfConcern = persons,
            Locations = interview.Locations,
        };
    }
}
