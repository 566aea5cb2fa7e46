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

    /// <summary>How often the console pages refresh their live parts, in seconds.</summary>
    [Range(1, 600)]
    public int RefreshSeconds { get; set; } = 5;
}
