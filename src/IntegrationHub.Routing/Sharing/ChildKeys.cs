using System.Security.Cryptography;
using System.Text;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace IntegrationHub.Routing.Sharing;

/// <summary>
/// Pseudonymous child keys: an HMAC of the child's strongest identifier under a secret the hub keeps, so the same
/// child has the same key in every message and on every hub instance, and nobody can reverse it without the secret.
/// </summary>
public sealed class ChildKeys(IDbContextFactory<HubDbContext> dbFactory, IConfiguration configuration)
{
    private const string SettingKey = "pseudonymisation-secret";
    private byte[]? _secret;

    /// <summary>Loads the secret: <c>Hub:Pseudonymisation:Secret</c>, else one generated once and kept in the database.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var configured = configuration["Hub:Pseudonymisation:Secret"];
        if (!string.IsNullOrEmpty(configured))
        {
            _secret = Encoding.UTF8.GetBytes(configured);
            return;
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stored = await db.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.Key == SettingKey, cancellationToken);
        if (stored is null)
        {
            db.Settings.Add(new HubSetting { Key = SettingKey, Value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another instance generated it first; use theirs.
            }
            stored = await db.Settings.AsNoTracking().FirstAsync(s => s.Key == SettingKey, cancellationToken);
        }
        _secret = Convert.FromBase64String(stored.Value);
    }

    /// <summary>The child's key, or null when the message identifies the child by nothing stable.</summary>
    public string? For(ChildDetails child)
    {
        var identity = IdentityOf(child);
        if (identity is null) return null;
        var secret = _secret ?? throw new InvalidOperationException("ChildKeys used before InitializeAsync.");
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(identity), hash);
        return "ck_" + Convert.ToHexStringLower(hash[..12]);
    }

    /// <summary>
    /// A stable name for a pattern's key (a person, a postcode, a VRM, a phone number) that operators can compare and
    /// quote without seeing the key. Keyed with the same secret as child keys: a plain hash of a registration or a phone
    /// number is reversed by hashing every possible one.
    /// </summary>
    public string PatternFingerprint(string kind, string key)
    {
        var secret = _secret ?? throw new InvalidOperationException("ChildKeys used before InitializeAsync.");
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes($"pattern:{kind}:{key}"), hash);
        return "pk_" + Convert.ToHexStringLower(hash[..8]);
    }

    private static string? IdentityOf(ChildDetails child)
    {
        var nhs = child.NhsNumber is null ? null : new string(child.NhsNumber.Where(char.IsAsciiDigit).ToArray());
        if (!string.IsNullOrEmpty(nhs)) return "nhs:" + nhs;
        if (!string.IsNullOrWhiteSpace(child.LocalChildId)) return "local:" + child.LocalChildId.Trim().ToUpperInvariant();
        if (!string.IsNullOrWhiteSpace(child.GivenName) && !string.IsNullOrWhiteSpace(child.FamilyName) && child.DateOfBirth is { } dob)
            return $"name:{child.GivenName.Trim().ToUpperInvariant()}|{child.FamilyName.Trim().ToUpperInvariant()}|{dob:yyyy-MM-dd}";
        return null;
    }
}
