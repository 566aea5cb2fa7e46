using IntegrationHub.Contracts.Common;
using IntegrationHub.Ingress.Problems;
using MassTransit;

namespace IntegrationHub.Ingress.Inbound;

/// <summary>What became of an inbound message: accepted with a tracking id, or refused with the reasons.</summary>
public sealed record IntakeOutcome(Guid? TrackingId, bool Duplicate, int Status, string? Title, string? ReasonCode, IReadOnlyList<FieldError> Errors)
{
    public bool Accepted => TrackingId is not null;

    public static IntakeOutcome Ok(Guid trackingId, bool duplicate = false) => new(trackingId, duplicate, 202, null, null, []);

    public static IntakeOutcome Refused(int status, string title, string reasonCode, IReadOnlyList<FieldError> errors) =>
        new(null, false, status, title, reasonCode, errors);
}

/// <summary>How an inbound message arrived, and what identifies it for de-duplication.</summary>
/// <param name="Name"><c>http</c>, <c>fhir</c> or <c>amqp</c>.</param>
/// <param name="IdempotencyKey">The sender's key for this message (HTTP <c>Idempotency-Key</c>, AMQP <c>message_id</c>), if any.</param>
/// <param name="Endpoints">On AMQP, the consume context: the message is handled before it is acknowledged.</param>
public sealed record InboundChannel(string Name, string? IdempotencyKey, ISendEndpointProvider? Endpoints = null);

/// <summary>Takes a contract an adapter produced (a concern, a missing report...) into the hub.</summary>
public interface IInboundIntake
{
    /// <summary>The contract type this intake handles.</summary>
    Type MessageType { get; }

    Task<IntakeOutcome> AcceptAsync(Agency agency, object message, InboundChannel channel, CancellationToken ct);
}
