using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace IntegrationHub.Operations.Security;

/// <summary>PBKDF2-SHA256 password hashes in one self-describing string: <c>pbkdf2-sha256$iterations$salt$hash</c> (base64).</summary>
public static class PasswordHashing
{
    private const string Scheme = "pbkdf2-sha256";
    public const int DefaultIterations = 210_000;

    public static string Hash(string password, int iterations = DefaultIterations)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        return $"{Scheme}${iterations.ToString(CultureInfo.InvariantCulture)}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public static bool Verify(string password, string? encoded)
    {
        if (string.IsNullOrEmpty(encoded)) return false;
        var parts = encoded.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var iterations) || iterations < 1) return false;
        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var expected = Convert.FromBase64String(parts[3]);
            var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The iterations of a well-formed hash, 0 otherwise.</summary>
    public static int IterationsOf(string? encoded) =>
        encoded?.Split('$') is [Scheme, var it, _, _] && int.TryParse(it, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 0;

    public static bool IsWellFormed(string? encoded) =>
        encoded is not null && encoded.Split('$') is [Scheme, var it, _, _] && int.TryParse(it, CultureInfo.InvariantCulture, out var n) && n > 0;
}
