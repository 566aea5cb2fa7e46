using System.ComponentModel.DataAnnotations;

namespace IntegrationHub.Operations.Security;

/// <summary>One console user (<c>Hub:Operations:Users:&lt;name&gt;</c>). Only a PBKDF2 hash of the password is configured.</summary>
public sealed class OperatorUser
{
    /// <summary><c>operator</c>, <c>supervisor</c> or <c>admin</c>.</summary>
    public string Role { get; set; } = OperatorRoles.Operator;

    /// <summary>From <c>dotnet IntegrationHub.Host.dll hash-password</c>: <c>pbkdf2-sha256$iterations$salt$hash</c>.</summary>
    public string? PasswordHash { get; set; }
}

/// <summary>The <c>Hub:Operations</c> section (the operations API key beside it is read by the ingress key registry).</summary>
public sealed class OperatorOptions
{
    public const string SectionName = "Hub:Operations";

    public Dictionary<string, OperatorUser> Users { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Create an <c>operator</c>, a <c>supervisor</c> and an <c>admin</c> with random passwords (written under the data
    /// directory's keys folder) when no users are configured. Defaults to on for the embedded in-memory mode.
    /// </summary>
    public bool? GenerateDefaultUsers { get; set; }

    /// <summary>Minutes a console sign-in lasts without use.</summary>
    [Range(1, 24 * 60)]
    public int SessionMinutes { get; set; } = 60;

    /// <summary>Hours a console sign-in lasts at most, however often it is used (the live refresh keeps it in use).</summary>
    [Range(1, 7 * 24)]
    public int SessionHours { get; set; } = 8;

    /// <summary>Sign-in form posts, and wrong Basic credentials on the operations API, allowed per client address per minute.</summary>
    [Range(1, 10_000)]
    public int SignInAttemptsPerMinute { get; set; } = 10;

    /// <summary>How often the console pages refresh their live parts, in seconds.</summary>
    [Range(1, 600)]
    public int RefreshSeconds { get; set; } = 5;

    /// <summary>Identities from an authenticating reverse proxy in front of the hub (e.g. oauth2-proxy before an OpenID Connect provider).</summary>
    public TrustedProxyOptions TrustedProxy { get; set; } = new();
}

/// <summary>
/// <c>Hub:Operations:TrustedProxy</c>: believe the user and group headers only on requests that come straight from one
/// of <see cref="KnownProxies"/>, and give the user the highest role any of their groups maps to. Off by default.
/// </summary>
public sealed class TrustedProxyOptions
{
    public bool Enabled { get; set; }

    /// <summary>IP addresses of the proxy (the connection's remote address must be one of them).</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>The header carrying the user's name (oauth2-proxy: <c>X-Forwarded-User</c> or <c>X-Forwarded-Email</c>).</summary>
    public string UserHeader { get; set; } = "X-Forwarded-User";

    /// <summary>The header carrying the user's groups, comma-separated (oauth2-proxy: <c>X-Forwarded-Groups</c>).</summary>
    public string GroupsHeader { get; set; } = "X-Forwarded-Groups";

    /// <summary>Group (or app role) name → <c>operator</c>, <c>supervisor</c> or <c>admin</c>.</summary>
    public Dictionary<string, string> Roles { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
