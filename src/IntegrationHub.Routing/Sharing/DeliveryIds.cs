using System.Security.Cryptography;
using System.Text;
using IntegrationHub.Contracts.Common;

namespace IntegrationHub.Routing.Sharing;

/// <summary>Delivery ids derived from what is delivered, so the same delivery always has the same id, however often it is sent.</summary>
public static class DeliveryIds
{
    public static Guid For(Guid trackingId, Recipient recipient, int revision)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{trackingId:N}/{recipient}/{revision}"), hash);
        return new Guid(hash[..16]);
    }

    /// <summary>A delivery id for anything else the hub sends once (an escalation level, a pattern revision): derived from <paramref name="seed"/>.</summary>
    public static Guid For(string seed)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(seed), hash);
        return new Guid(hash[..16]);
    }
}
