using System.Security.Cryptography;
using System.Text;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Routing.Messaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Ingress.Security;

/// <summary>
/// Maps an API key to its caller. Only SHA-256 hashes are held in memory; keys are never logged. In the embedded
/// default, missing keys are generated once and written to files readable only by the hub's user.
/// An agency key issued by an admin (<see cref="IssuedKeys"/>, kept as a hash in the database) replaces the configured
/// one: once an agency has issued keys, only those work for it (the previous ones until their grace period ends).
/// </summary>
public sealed class ApiKeyRegistry(IConfiguration configuration, IOptions<SecurityOptions> security,
    IOptions<MessagingOptions> messaging, HubPaths paths, TimeProvider clock, ILogger<ApiKeyRegistry> logger)
{
    private readonly Dictionary<string, Caller> _byHash = new(StringComparer.Ordinal);
    private volatile IssuedOverlay _issued = IssuedOverlay.Empty;

    public static IReadOnlyList<Agency> Agencies { get; } = Enum.GetValues<Agency>();

    /// <param name="issued">Agencies whose keys were issued by an admin: their configured keys are ignored and none is generated.</param>
    public void Initialize(IReadOnlyCollection<Agency>? issued = null)
    {
        var generate = security.Value.GenerateMissingKeys ?? messaging.Value.Transport == TransportKind.InMemory;
        var generated = new List<string>();
        foreach (var agency in Agencies)
        {
            if (issued?.Contains(agency) == true) continue;
            var name = agency.ToString().ToLowerInvariant();
            var hash = HashFor($"Hub:Agencies:{name}", name, generate, generated);
            if (hash is not null) _byHash[hash] = Caller.ForAgency(agency);
        }
        var opsHash = HashFor("Hub:Operations", "operations", generate, generated);
        if (opsHash is not null) _byHash[opsHash] = Caller.Operations;
        var marpHash = HashFor("Hub:Recipients:marp", "marp", generate, generated);
        if (marpHash is not null) _byHash[marpHash] = Caller.Marp;

        if (generated.Count > 0)
            logger.LogWarning("Generated API keys for {Callers}; each is in {KeysDirectory}/<name>.key (readable by this user only)",
                string.Join(", ", generated), paths.KeysDirectory);
        var withCertificates = ClientCertificateRegistry.Read(configuration).Values.ToHashSet();
        var missing = Agencies.Where(a => issued?.Contains(a) != true && !_byHash.ContainsValue(Caller.ForAgency(a)) && !withCertificates.Contains(a)).ToList();
        if (missing.Count > 0)
            logger.LogWarning("No API key or client certificate is configured for {Agencies}: they cannot send over HTTP", string.Join(", ", missing));
    }

    public Caller? Find(string? presentedKey)
    {
        if (string.IsNullOrEmpty(presentedKey)) return null;
        var hash = Hash(presentedKey);
        var issued = _issued;
        if (issued.ByHash.TryGetValue(hash, out var entry))
            return entry.RetiresAt is not { } retires || retires > clock.GetUtcNow() ? Caller.ForAgency(entry.Agency) : null;
        var caller = _byHash.GetValueOrDefault(hash);
        return caller?.Agency is { } agency && issued.Agencies.Contains(agency) ? null : caller;
    }

    /// <summary>The configured (or generated) key's hash for an agency, before any key was issued for it.</summary>
    public string? ConfiguredHashFor(Agency agency) =>
        _byHash.FirstOrDefault(p => p.Value == Caller.ForAgency(agency)).Key;

    /// <summary>Replaces the issued keys known to this instance (from the database; see <see cref="IssuedKeys"/>).</summary>
    public void ApplyIssued(IReadOnlyDictionary<Agency, IssuedKeySet> sets)
    {
        var byHash = new Dictionary<string, (Agency Agency, DateTimeOffset? RetiresAt)>(StringComparer.Ordinal);
        foreach (var (agency, set) in sets)
            foreach (var key in set.Keys)
                byHash[key.Sha256] = (agency, key.RetiresAt);
        _issued = new IssuedOverlay(byHash, sets.Keys.ToHashSet());
    }

    private sealed record IssuedOverlay(IReadOnlyDictionary<string, (Agency Agency, DateTimeOffset? RetiresAt)> ByHash, IReadOnlySet<Agency> Agencies)
    {
        public static readonly IssuedOverlay Empty = new(new Dictionary<string, (Agency, DateTimeOffset?)>(), new HashSet<Agency>());
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private string? HashFor(string section, string fileName, bool generate, List<string> generated)
    {
        var key = configuration[$"{section}:ApiKey"];
        if (!string.IsNullOrEmpty(key)) return Hash(key);
        var hash = configuration[$"{section}:ApiKeySha256"];
        if (!string.IsNullOrEmpty(hash)) return hash.Trim().ToLowerInvariant();

        var file = Path.Combine(paths.KeysDirectory, fileName + ".key");
        if (File.Exists(file)) return Hash(File.ReadAllText(file).Trim());
        if (!generate) return null;

        Directory.CreateDirectory(paths.KeysDirectory);
        var newKey = $"{fileName}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24))}";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(file, Encoding.ASCII, options)) writer.Write(newKey);
        generated.Add(fileName);
        return Hash(newKey);
    }
}
