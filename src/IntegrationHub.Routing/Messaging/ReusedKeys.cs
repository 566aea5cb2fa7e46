using System.Security.Cryptography;
using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Persistence;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Routing.Messaging;

/// <summary>
/// A message sent with an idempotency key (HTTP <c>Idempotency-Key</c>, AMQP <c>message_id</c>) the hub has kept a
/// message under already: the same message sent again (a retry, a redelivery), or a different one under a reused key (an
/// updated report sent with the first one's id). The first is a duplicate; the second must be refused, not answered as
/// received, or its new content is lost.
/// </summary>
public static class ReusedKeys
{
    /// <summary>The reason code of a message refused because its key was used before for a different message.</summary>
    public const string ReasonCode = "key-reused";

    /// <summary>
    /// Whether <paramref name="incoming"/> says what the message kept under its key said, comparing only
    /// <paramref name="sendersPart"/> (what the sender sent, without the hub's stamps: tracking id, time received...)
    /// of each, serialized the same way.
    /// </summary>
    /// <param name="keptPayload">The kept message's <c>messages.Payload</c>.</param>
    public static bool SameAsKept<T, TPart>(string keptPayload, T incoming, Func<T, TPart> sendersPart) where T : class
    {
        // Purged by retention (or never readable by this build): there is nothing left to compare with, and a message
        // old enough to be purged sent again under its key is far likelier a late retry than an update. Counted as the
        // same, as every resend was before keys were compared.
        if (keptPayload.Length == 0) return true;
        T? kept;
        try
        {
            kept = JsonSerializer.Deserialize<T>(keptPayload, ContractJson.Options);
        }
        catch (JsonException)
        {
            return true;
        }
        if (kept is null) return true;
        return JsonSerializer.Serialize(sendersPart(kept), ContractJson.Options) == JsonSerializer.Serialize(sendersPart(incoming), ContractJson.Options);
    }

    /// <summary>
    /// The fingerprint of what a sender sent: the SHA-256 of the body's bytes as received (HTTP request body, AMQP message
    /// body). Concerns are compared by it rather than by their content once mapped: a genuine retry sends the same bytes,
    /// while the mapped concern can differ between two sends of them (an anonymous consultation keeps the age worked out
    /// on receipt, the FHIR adapter maps with today's date).
    /// </summary>
    public static byte[] Fingerprint(ReadOnlySpan<byte> body) => SHA256.HashData(body);

    /// <summary>
    /// Whether a body with fingerprint <paramref name="incoming"/> is the one kept under its key (fingerprint
    /// <paramref name="kept"/>). Either missing (kept by a build before fingerprints, purged with the content, or a
    /// concern the hub raised itself) cannot be compared and counts as the same, as a purged payload does.
    /// </summary>
    public static bool SameBody(byte[]? kept, byte[]? incoming) =>
        kept is null || incoming is null || kept.AsSpan().SequenceEqual(incoming);

    /// <summary>The payload kept under <paramref name="trackingId"/>, or null when nothing is kept under it.</summary>
    public static Task<string?> KeptPayloadAsync(HubDbContext db, Guid trackingId, CancellationToken ct) =>
        db.Messages.AsNoTracking().Where(m => m.TrackingId == trackingId).Select(m => (string?)m.Payload).FirstOrDefaultAsync(ct);
}
