namespace IntegrationHub.Tests;

/// <summary>Synthetic concerns. NHS numbers start 999 (reserved for testing) and carry valid check digits.</summary>
public static class TestConcerns
{
    public const string ChildGivenName = "Testchild";
    public const string ChildFamilyName = "Syntheticson";
    public const string NhsNumber = "9990000018";
    public const string Narrative = "Seen repeatedly getting into cars driven by unknown adults near the station after school.";

    public static string PoliceConcern(bool immediateRisk = false) => $$"""
        {
          "senderReference": "PPD1-2026-0001",
          "child": {
            "nhsNumber": "{{NhsNumber}}",
            "givenName": "{{ChildGivenName}}",
            "familyName": "{{ChildFamilyName}}",
            "dateOfBirth": "2012-03-04",
            "postcode": "SN1 2AB",
            "legalStatus": "LookedAfter"
          },
          "referrer": { "name": "PC Example", "role": "Constable", "service": "PoliceOfficer", "organisationCode": "WI" },
          "narrative": "{{Narrative}}",
          "exploitationType": "Sexual",
          "signs": [ "CarsWithUnknownAdults", "UnexplainedGifts" ],
          "immediateRisk": {{(immediateRisk ? "true" : "false")}}
        }
        """;
}
