using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using IntegrationHub.Ingress;
using IntegrationHub.Routing.Messaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Operations.Security;

/// <summary>A signed-in console user: a name safe to audit and the role they hold.</summary>
public sealed record Operator(string Name, string Role)
{
    /// <summary>How the audit log names them: <c>alice (supervisor)</c>.</summary>
    public string AuditName => $"{Name} ({Role})";
}

/// <summary>
/// The console's users, from configuration (PBKDF2 hashes only). In the embedded default with no users configured,
/// an operator, a supervisor and an admin are created once with random passwords written to files beside the API keys.
/// </summary>
public sealed class OperatorDirectory(IOptions<OperatorOptions> options, IOptions<MessagingOptions> messaging, HubPaths paths, ILogger<OperatorDirectory> logger)
{
    private readonly Lazy<IReadOnlyDictionary<string, OperatorUser>> _users = new(() => Load(options.Value, messaging.Value, paths, logger));
    // A verified (user, password) pair is remembered by its SHA-256 so API calls with Basic credentials do not pay PBKDF2 each time.
    private readonly ConcurrentDictionary<string, string> _verified = new(StringComparer.Ordinal);

    private string? _unknownUser;

    /// <summary>A hash no password matches, with as many iterations as the slowest configured user's (made once, at start).</summary>
    internal string UnknownUser => _unknownUser ??= PasswordHashing.Hash(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
        Users.Values.Select(u => PasswordHashing.IterationsOf(u.PasswordHash)).DefaultIfEmpty(PasswordHashing.DefaultIterations).Max());

    public IReadOnlyDictionary<string, OperatorUser> Users => _users.Value;

    public Operator? SignIn(string? name, string? password)
    {
        if (string.IsNullOrWhiteSpace(name) || string.IsNullOrEmpty(password)) return null;
        if (!Users.TryGetValue(name.Trim(), out var user))
        {
            // As slow as a known user's wrong password, so the time of the answer does not tell which names exist.
            PasswordHashing.Verify(password, UnknownUser);
            return null;
        }
        var canonicalName = CanonicalName(name)!;
        var token = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{canonicalName}\n{password}\n{user.PasswordHash}")));
        if (!_verified.ContainsKey(token))
        {
            if (!PasswordHashing.Verify(password, user.PasswordHash)) return null;
            _verified[token] = canonicalName;
        }
        return new Operator(canonicalName, user.Role);
    }

    /// <summary>The configured user's name as configured (names are matched ignoring case and surrounding spaces); null when none is.</summary>
    public string? CanonicalName(string? name) =>
        name is null ? null : Users.Keys.FirstOrDefault(k => string.Equals(k, name.Trim(), StringComparison.OrdinalIgnoreCase));

    public static string PasswordFile(HubPaths paths, string user) => Path.Combine(paths.KeysDirectory, $"console-{user}.password");

    private static Dictionary<string, OperatorUser> Load(OperatorOptions options, MessagingOptions messaging, HubPaths paths, ILogger logger)
    {
        var users = new Dictionary<string, OperatorUser>(options.Users, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, user) in users)
        {
            if (!OperatorRoles.All.Contains(user.Role))
                throw new OptionsValidationException(OperatorOptions.SectionName, typeof(OperatorOptions),
                    [$"Hub:Operations:Users:{name}:Role must be one of {string.Join(", ", OperatorRoles.All)}."]);
            if (!PasswordHashing.IsWellFormed(user.PasswordHash))
                throw new OptionsValidationException(OperatorOptions.SectionName, typeof(OperatorOptions),
                    [$"Hub:Operations:Users:{name}:PasswordHash must be a pbkdf2-sha256 hash (make one with: dotnet IntegrationHub.Host.dll hash-password)."]);
        }
        var generate = options.GenerateDefaultUsers ?? messaging.Transport == TransportKind.InMemory;
        if (users.Count > 0 || !generate) return users;

        Directory.CreateDirectory(paths.KeysDirectory);
        foreach (var role in OperatorRoles.All)
        {
            var file = PasswordFile(paths, role);
            string password;
            if (File.Exists(file))
            {
                password = File.ReadAllText(file).Trim();
            }
            else
            {
                password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
                var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows()) fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                using var writer = new StreamWriter(file, Encoding.ASCII, fileOptions);
                writer.Write(password);
            }
            users[role] = new OperatorUser { Role = role, PasswordHash = PasswordHashing.Hash(password, 50_000) };
        }
        logger.LogWarning("Console users operator, supervisor and admin have generated passwords in {KeysDirectory}/console-<user>.password", paths.KeysDirectory);
        return users;
    }
}
