using Microsoft.AspNetCore.Http;

namespace IntegrationHub.Ingress.Referrals;

/// <summary>Reads a request body up to a limit, keeping what it can of an oversized one for quarantine.</summary>
public static class BodyReader
{
    public sealed record Body(byte[] Bytes, long Length, bool TooLarge);

    public static async Task<Body> ReadAsync(HttpRequest request, int maxBytes, int keepBytes, CancellationToken ct)
    {
        using var kept = new MemoryStream();
        var buffer = new byte[16 * 1024];
        long total = 0;
        int read;
        while ((read = await request.Body.ReadAsync(buffer, ct)) > 0)
        {
            var room = keepBytes - (int)kept.Length;
            if (room > 0) kept.Write(buffer, 0, Math.Min(room, read));
            total += read;
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
