using System.Globalization;
using System.Security.Cryptography;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Ingress;
using IntegrationHub.Ingress.Security;
using IntegrationHub.Operations.Audit;
using IntegrationHub.Operations.Security;
using IntegrationHub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Operations.Agencies;

/// <summary>An agency's key as an admin sees it: where it comes from and the fingerprints (hash prefixes) in force. Never a key.</summary>
public sealed record AgencyKeyRow(string Agency, string Source, IReadOnlyList<AgencyKeyFingerprint> Keys);

public sealed record AgencyKeyFingerprint(string Sha256Prefix, DateTimeOffset? IssuedAt, string? IssuedBy, DateTimeOffset? RetiresAt);

/// <summary>The one time a new key is shown. Only its SHA-256 is kept.</summary>
public sealed record IssuedAgencyKey(string Agency, string ApiKey, string Sha256Prefix, DateTimeOffset IssuedAt, DateTimeOffset PreviousKeysRetireAt);

/// <summary>
/// An admin issues (or rotates) an agency's API key. The new key is random, shown once and stored only as its SHA-256 in
/// the database; the agency's previous keys stop working at once, or after <see cref="SecurityOptions.KeyRotationGrace"/>.
/// Every issue is audited with who, what, when and why. In the embedded mode the old key file (<c>data/keys/&lt;agency&gt;.key</c>)
/// is deleted, because it no longer holds the agency's key.
/// </summary>
public sealed class AgencyKeys(IDbContextFactory<HubDbContext> dbFactory, ApiKeyRegistry registry, IssuedKeys issuedKeys,
    IOptions<SecurityOptions> security, HubPaths paths, TimeProvider clock)
{
    public static bool TryParseAgency(string? name, out Agency agency) =>
        Enum.TryParse(name, ignoreCase: true, out agency) && Enum.IsDefined(agency) && !int.TryParse(name, out _);

    public async Task<IReadOnlyList<AgencyKeyRow>> ListAsync(CancellationToken ct)
    {
        var issued = await issuedKeys.LoadAsync(ct);
        var now = clock.GetUtcNow();
        return [.. ApiKeyRegistry.Agencies.Select(agency =>
        {
            var name = agency.ToString().ToLowerInvariant();
            if (issued.TryGetValue(agency, out var set))
                return new AgencyKeyRow(name, "issued", [.. set.Keys.Where(k => k.RetiresAt is null || k.RetiresAt > now)
                    .Select(k => new AgencyKeyFingerprint(k.Sha256[..12], k.IssuedAt, k.IssuedBy, k.RetiresAt))]);
            return registry.ConfiguredHashFor(agency) is { } hash
                ? new AgencyKeyRow(name, "configured", [new AgencyKeyFingerprint(hash[..12], null, null, null)])
                : new AgencyKeyRow(name, "none", []);
        })];
    }

    public async Task<IssuedAgencyKey> IssueAsync(Agency agency, Operator who, string reason, CancellationToken ct)
    {
        if (!OperatorRoles.Implied(who.Role).Contains(OperatorRoles.Admin)) throw new UnauthorizedAccessException("Only admins issue agency keys.");
        if (string.IsNullOrWhiteSpace(reason)) throw new ArgumentException("Say why the key is issued.", nameof(reason));
        var name = agency.ToString().ToLowerInvariant();
        var key = $"{name}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24))}";
        var hash = ApiKeyRegistry.Hash(key);
        var now = clock.GetUtcNow();
        var retire = now + security.Value.KeyRotationGrace;

        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var settingKey = IssuedKeys.SettingKey(agency);
            var row = await db.Settings.FirstOrDefaultAsync(s => s.Key == settingKey, ct);
            IEnumerable<IssuedKey> previous = row is not null && IssuedKeys.Read(row.Value) is { } set
                ? set.Keys
                : registry.ConfiguredHashFor(agency) is { } configured ? [new IssuedKey(configured, null, "configuration", null)] : [];
            var kept = previous
                .Where(k => k.RetiresAt is null || k.RetiresAt > now)
                .Select(k => k with { RetiresAt = k.RetiresAt is { } r && r < retire ? r : retire })
                .Where(k => k.RetiresAt > now)
                .ToList();
            var value = IssuedKeys.Write(new IssuedKeySet([.. kept, new IssuedKey(hash, now, who.AuditName, null)]));
            if (row is null) db.Settings.Add(new HubSetting { Key = settingKey, Value = value });
            else row.Value = value;
            db.Audit.Add(OperatorAudit.Entry(who, "AgencyKeyIssued",
                $"{reason.Trim()}; agency {name}, new key sha256 {hash[..12]}…, previous keys stop working "
                + (retire > now ? $"at {retire.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)}" : "now"), now));
            await db.SaveChangesAsync(ct);
        }
        await issuedKeys.RefreshAsync(ct);

        var file = Path.Combine(paths.KeysDirectory, name + ".key");
        if (File.Exists(file)) File.Delete(file);
        return new IssuedAgencyKey(name, key, hash[..12], now, retire);
    }
}
