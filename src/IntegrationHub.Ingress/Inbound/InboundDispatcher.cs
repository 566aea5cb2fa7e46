using IntegrationHub.Adapters.Inbound;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Ingress.Problems;
using IntegrationHub.Ingress.Referrals;
using Microsoft.AspNetCore.Http;

namespace IntegrationHub.Ingress.Inbound;

/// <summary>An inbound message read by its kind's adapter: the contract it produced, or why it was refused.</summary>
public sealed record InboundRead(string? Kind, object? Message, IntakeOutcome? Refusal);

/// <summary>
/// The one path for an agency's message in its own format, over HTTP or AMQP: find its kind, check the agency may send
/// it, read it with the kind's adapter, and hand the contract to the intake for its type.
/// </summary>
public sealed class InboundDispatcher(InboundKinds kinds, IEnumerable<IInboundIntake> intakes)
{
    public async Task<IntakeOutcome> DispatchAsync(Agency agency, string? kindName, byte[] body, InboundChannel channel, CancellationToken ct)
    {
        var read = Read(agency, kindName, body);
        return read.Refusal ?? await AcceptAsync(agency, read, channel, ct);
    }

    /// <summary>Reads without accepting: a quarantine replay looks at what it read before anything is routed.</summary>
    public InboundRead Read(Agency agency, string? kindName, byte[] body)
    {
        var kind = kinds.Find(kindName);
        if (kind is null)
            return new(kindName, null, IntakeOutcome.Refused(StatusCodes.Status400BadRequest, "Unknown kind of message", "unknown-kind",
                [new FieldError("type", $"'{kindName ?? "(none)"}' is not a kind the hub knows. Known kinds: {string.Join(", ", kinds.All.Select(k => k.Name))}.")]));
        if (kind.OnlyFrom is { } only && only != agency)
            return new(kind.Name, null, IntakeOutcome.Refused(StatusCodes.Status403Forbidden, "Not your agency's kind of message", "kind-not-allowed",
                [new FieldError("type", $"Only {only} sends {kind.Name}; these credentials belong to {agency}.")]));

        var result = kind.Read(body, agency);
        return result.Ok
            ? new(kind.Name, result.Message!, null)
            : new(kind.Name, null, IntakeOutcome.Refused(StatusCodes.Status400BadRequest, $"The {kind.Name} could not be read", "invalid", ConcernReader.Errors(result.Problems)));
    }

    /// <summary>Hands the contract a <see cref="Read"/> produced to the intake for its type.</summary>
    public async Task<IntakeOutcome> AcceptAsync(Agency agency, InboundRead read, InboundChannel channel, CancellationToken ct)
    {
        var message = read.Message ?? throw new ArgumentException("Nothing was read.", nameof(read));
        var intake = intakes.FirstOrDefault(i => i.MessageType == message.GetType());
        if (intake is null)
            return IntakeOutcome.Refused(StatusCodes.Status422UnprocessableEntity, "Not accepted here", "no-intake",
                [new FieldError("type", $"The hub reads {read.Kind} but has no intake for {message.GetType().Name} in this deployment.")]);
        return await intake.AcceptAsync(agency, message, channel, ct);
    }
}
