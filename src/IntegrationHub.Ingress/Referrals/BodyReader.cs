using Microsoft.AspNetCore.Http;

namespace IntegrationHub.Ingress.Referrals;

/// <summary>Reads a request body up to a limit, keeping what it can of an oversized one for quarantine.</summary>
public static class BodyReader
{
    /// <param name="Length">Bytes read: the whole body's length when <paramref name="Complete"/>, else a lower bound.</param>
    /// <param name="Complete">False when reading stopped early: a body over the limit is not read to its end.</param>
    public sealed record Body(byte[] Bytes, long Length, bool TooLarge, bool Complete = true);

    /// <summary>
    /// Reads at most <paramref name="keepBytes"/> into memory and stops once the body is known to be over
    /// <paramref name="maxBytes"/> with all that can be kept read, so an oversized body costs neither memory nor time.
    /// </summary>
    public static async Task<Body> ReadAsync(HttpRequest request, int maxBytes, int keepBytes, CancellationToken ct)
    {
        using var kept = new MemoryStream();
        var buffer = new byte[16 * 1024];
        long total = 0;
        int read;
        var enough = Math.Max(maxBytes, keepBytes);
        while ((read = await request.Body.ReadAsync(buffer, ct)) > 0)
        {
            var room = keepBytes - (int)kept.Length;
            if (room > 0) kept.Write(buffer, 0, Math.Min(room, read));
            total += read;
            if (total > enough) return new Body(kept.ToArray(), total, TooLarge: true, Complete: false);
        }
        return new Body(kept.ToArray(), total, total > maxBytes);
    }

    public static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType)) return false;
        var media = contentType.Split(';')[0].Trim();
        return media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }
}
