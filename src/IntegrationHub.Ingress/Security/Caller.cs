using IntegrationHub.Contracts.Common;

namespace IntegrationHub.Ingress.Security;

/// <summary>Who is calling: an agency (which can only act as itself) or operations staff.</summary>
public sealed record Caller(Agency? Agency, bool IsOperations, bool IsMarp = false)
{
    /// <summary>The MARP panel as a recipient (<c>Hub:Recipients:marp</c>): reads its monthly review list with identities.</summary>
    public static readonly Caller Marp = new(null, false, true);

    public static Caller ForAgency(Agency agency) => new(agency, false);
    public static readonly Caller Operations = new(null, true);

    /// <summary>An id safe to log and audit: never the key.</summary>
    public string Name => IsOperations ? "operations" : IsMarp ? "recipient:marp" : $"agency:{Agency!.Value.ToString().ToLowerInvariant()}";
}
