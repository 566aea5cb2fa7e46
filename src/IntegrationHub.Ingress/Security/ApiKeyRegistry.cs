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
/// A key held by two callers stops the hub at start, since it would authenticate as whichever was found first.
/// </summary>
public sealed class ApiKeyRegistry(IConfiguration configuration, IOptions<SecurityOptions> security,
    IOptions<MessagingOptions> messaging, HubPaths paths, TimeProvider clock, ILogger<ApiKeyRegistry> logger)
{
    private readonly Dictionary<string, Caller> _byHash = new(StringComparer.Ordinal);
    private volatile IssuedOverlay _issued = IssuedOverlay.Empty;

    public static IReadOnlyList<Agency> Agencies { get; } = Enum.GetValues<Agency>();

    /// <param name="issued">Agencies whose keys were issued by an admin: their configured keys are ignored and none is generated.</param>
    /// <exception cref="InvalidOperationException">Two callers hold the same key (see <see cref="RefuseSharedKeys"/>).</exception>
    public void Initialize(IReadOnlyDictionary<Agency, IssuedKeySet>? issued = null)
    {
        var generate = security.Value.GenerateMissingKeys ?? messaging.Value.Transport == TransportKind.InMemory;
        var generated = new List<string>();
        var held = new List<HeldKey>();
        foreach (var agency in Agencies)
        {
            var isIssued = issued?.ContainsKey(agency) == true;
            var name = agency.ToString().ToLowerInvariant();
            // An issued agency's configured key is ignored, but still checked below: given to another caller, it would
            // let whoever still holds the agency's old key act as that caller.
            var key = HashFor($"Hub:Agencies:{name}", name, generate && !isIssued, generated);
            if (key is null) continue;
            held.Add(new HeldKey(key.Value.Hash, Caller.ForAgency(agency), key.Value.Setting));
            if (!isIssued) _byHash[key.Value.Hash] = Caller.ForAgency(agency);
        }
        if (HashFor("Hub:Operations", "operations", generate, generated) is { } ops)
        {
            held.Add(new HeldKey(ops.Hash, Caller.Operations, ops.Setting));
            _byHash[ops.Hash] = Caller.Operations;
        }
        if (HashFor("Hub:Recipients:marp", "marp", generate, generated) is { } marp)
        {
            held.Add(new HeldKey(marp.Hash, Caller.Marp, marp.Setting));
            _byHash[marp.Hash] = Caller.Marp;
        }
        foreach (var (agency, set) in issued ?? new Dictionary<Agency, IssuedKeySet>())
            foreach (var key in set.Keys)
                held.Add(new HeldKey(key.Sha256, Caller.ForAgency(agency), $"the key issued for {agency.ToString().ToLowerInvariant()} (database setting {IssuedKeys.SettingKey(agency)})"));
        RefuseSharedKeys(held);

        if (generated.Count > 0)
            logger.LogWarning("Generated API keys for {Callers}; each is in {KeysDirectory}/<name>.key (readable by this user only)",
                string.Join(", ", generated), paths.KeysDirectory);
        var withCertificates = ClientCertificateRegistry.Read(configuration).Values.ToHashSet();
        var missing = Agencies.Where(a => issued?.ContainsKey(a) != true && !_byHash.ContainsValue(Caller.ForAgency(a)) && !withCertificates.Contains(a)).ToList();
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

    private static bool IsSha256Hex(string value) => value.Length == 64 && value.All(char.IsAsciiHexDigit);

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>A key's hash, the caller it belongs to, and where it is configured (a setting's name or a file's path; never the key).</summary>
    private sealed record HeldKey(string Hash, Caller Caller, string Setting);

    /// <summary>
    /// Stops the hub when two callers hold the same key: <see cref="Find"/> would answer with whichever it met first, so
    /// one agency could send as another, or as operations. The message names both settings, never the key or its hash.
    /// The same key twice for one caller (an agency's configured key kept among its issued ones in a grace period) is fine.
    /// </summary>
    private static void RefuseSharedKeys(IEnumerable<HeldKey> held)
    {
        var shared = held.GroupBy(k => k.Hash, StringComparer.Ordinal)
            .Select(g => g.DistinctBy(k => k.Caller).ToList())
            .Where(callers => callers.Count > 1)
            .Select(callers => string.Join(" and ", callers.Select(k => k.Setting)))
            .ToList();
        if (shared.Count > 0)
            throw new InvalidOperationException(
                $"The same API key is configured for more than one caller: {string.Join("; ", shared)}. Each agency, the operations key " +
                "and each recipient needs a key of its own, or the hub would take one for the other: give one of them a new key.");
    }

    private (string Hash, string Setting)? HashFor(string section, string fileName, bool generate, List<string> generated)
    {
        var key = configuration[$"{section}:ApiKey"];
        var hash = configuration[$"{section}:ApiKeySha256"];
        // Both set: one would be used and the other silently ignored, and the caller holding the ignored one is refused.
        if (!string.IsNullOrEmpty(key) && !string.IsNullOrWhiteSpace(hash))
            throw new InvalidOperationException(
                $"Both {section}:ApiKey and {section}:ApiKeySha256 are set: set one of them (the hash, to keep the key out of the configuration).");
        if (!string.IsNullOrEmpty(key)) return (Hash(key), $"{section}:ApiKey");
        if (!string.IsNullOrWhiteSpace(hash))
        {
            // A hash mis-pasted (base64, cut short, the key itself) matches no key: every call would be refused with 401.
            if (!IsSha256Hex(hash.Trim()))
                throw new InvalidOperationException(
                    $"{section}:ApiKeySha256 is not a SHA-256 in hex (64 characters 0-9 and a-f): give the hex SHA-256 of the key's UTF-8 bytes, e.g. the output of `printf %s KEY | sha256sum`.");
            return (hash.Trim().ToLowerInvariant(), $"{section}:ApiKeySha256");
        }

        var file = Path.Combine(paths.KeysDirectory, fileName + ".key");
        if (File.Exists(file)) return (Hash(File.ReadAllText(file).Trim()), file);
        if (!generate) return null;

        Directory.CreateDirectory(paths.KeysDirectory);
        var newKey = $"{fileName}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24))}";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(file, Encoding.ASCII, options)) writer.Write(newKey);
        generated.Add(fileName);
        return (Hash(newKey), file);
    }
}
