using IntegrationHub.Contracts.Common;
using IntegrationHub.Ingress.Problems;
using IntegrationHub.Routing.Messaging;
using MassTransit;
using Microsoft.AspNetCore.Http;

namespace IntegrationHub.Ingress.Inbound;

/// <summary>What became of an inbound message: accepted with a tracking id, or refused with the reasons.</summary>
public sealed record IntakeOutcome(Guid? TrackingId, bool Duplicate, int Status, string? Title, string? ReasonCode, IReadOnlyList<FieldError> Errors)
{
    public bool Accepted => TrackingId is not null;

    public static IntakeOutcome Ok(Guid trackingId, bool duplicate = false) => new(trackingId, duplicate, 202, null, null, []);

    public static IntakeOutcome Refused(int status, string title, string reasonCode, IReadOnlyList<FieldError> errors) =>
        new(null, false, status, title, reasonCode, errors);

    public const string KeyReusedTitle = "Idempotency key already used";

    /// <summary>The sender's idempotency key was used before for a different message (<see cref="ReusedKeys"/>): 409, <c>key-reused</c>.</summary>
    public static IntakeOutcome KeyReused(string channel) =>
        Refused(StatusCodes.Status409Conflict, KeyReusedTitle, ReusedKeys.ReasonCode, [KeyReusedError(channel)]);

    /// <param name="channel"><c>amqp</c> names the <c>message_id</c>; any other channel the <c>Idempotency-Key</c> header.</param>
    public static FieldError KeyReusedError(string channel) => channel == "amqp"
        ? new("message_id", "This message_id was used before for a different message, which the hub kept; this one was not accepted. " +
                            "Send the update (or any new message) with a new message_id.")
        : new("Idempotency-Key", "This Idempotency-Key was used before for a different message, which the hub kept; this one was not accepted. " +
                                 "Send the update (or any new message) with a new Idempotency-Key.");
}

/// <summary>How an inbound message arrived, and what identifies it for de-duplication.</summary>
/// <param name="Name"><c>http</c>, <c>fhir</c> or <c>amqp</c>.</param>
/// <param name="IdempotencyKey">The sender's key for this message (HTTP <c>Idempotency-Key</c>, AMQP <c>message_id</c>), if any.</param>
/// <param name="Endpoints">On AMQP, the consume context: the message is handled before it is acknowledged.</param>
/// <param name="BodySha256">The fingerprint of the body as received (<see cref="ReusedKeys.Fingerprint"/>) when it came
/// with an idempotency key: a concern sent again under the key is compared by it.</param>
public sealed record InboundChannel(string Name, string? IdempotencyKey, ISendEndpointProvider? Endpoints = null, byte[]? BodySha256 = null)
{
    /// <summary>A body received under <paramref name="idempotencyKey"/> (blank is none), fingerprinted only when there is a key to compare under.</summary>
    public static InboundChannel Received(string name, string? idempotencyKey, ReadOnlySpan<byte> body, ISendEndpointProvider? endpoints = null) =>
        string.IsNullOrWhiteSpace(idempotencyKey)
            ? new(name, null, endpoints)
            : new(name, idempotencyKey, endpoints, ReusedKeys.Fingerprint(body));
}

/// <summary>Takes a contract an adapter produced (a concern, a missing report...) into the hub.</summary>
public interface IInboundIntake
{
    /// <summary>The contract type this intake handles.</summary>
    Type MessageType { get; }

    Task<IntakeOutcome> AcceptAsync(Agency agency, object message, InboundChannel channel, CancellationToken ct);
}
