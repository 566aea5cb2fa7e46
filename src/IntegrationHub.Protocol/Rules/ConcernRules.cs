namespace IntegrationHub.Protocol.Rules;

/// <summary>The rules evaluated for a concern, in the order their reasons read best.</summary>
public static class ConcernRules
{
    public static readonly IReadOnlyList<IProtocolRule> All =
    [
        new ImmediateRisk(),
        new PoliceConcern(),
        new ScreeningForAgencyReferral(),
    ];
}
