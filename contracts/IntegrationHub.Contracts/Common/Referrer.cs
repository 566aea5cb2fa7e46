namespace IntegrationHub.Contracts.Common;

/// <summary>The professional who raised the concern.</summary>
public sealed record Referrer
{
    /// <summary>Full name.</summary>
    public string? Name { get; init; }
    /// <summary>Job title or role.</summary>
    public string? Role { get; init; }
    /// <summary>The service they work for.</summary>
    public ReferrerService Service { get; init; }
    /// <summary>Organisation code (ODS code for NHS bodies, URN for schools, force code for police).</summary>
    public string? OrganisationCode { get; init; }
    /// <summary>A secure contact (secure e-mail or phone) for the recipient to reach them.</summary>
    public string? SecureContact { get; init; }
}
