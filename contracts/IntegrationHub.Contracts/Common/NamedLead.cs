namespace IntegrationHub.Contracts.Common;

/// <summary>The agency's named lead or designated safeguarding lead (handbook 11), told when the hub rejects something.</summary>
public sealed record NamedLead
{
    /// <summary>Full name.</summary>
    public string? Name { get; init; }
    /// <summary>Role, e.g. designated safeguarding lead.</summary>
    public string? Role { get; init; }
    /// <summary>Secure contact.</summary>
    public string? SecureContact { get; init; }
}
