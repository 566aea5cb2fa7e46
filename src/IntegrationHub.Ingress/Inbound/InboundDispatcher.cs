using IntegrationHub.Adapters.Inbound;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Ingress.Problems;
using IntegrationHub.Ingress.Referrals;
using Microsoft.AspNetCore.Http;

namespace IntegrationHub.Ingress.Inbound;

/// <summary>
/// The one path for an agency's message in its own format, over HTTP or AMQP: find its kind, check the agency may send
/// it, read it with the kind's adapter, and hand the contract to the intake for its type.
/// </summary>
public sealed class InboundDispatcher(InboundKinds kinds, IEnumerable<IInboundIntake> intakes)
{
    public async Task<IntakeOutcome> DispatchAsync(Agency agency, string? kindName, byte[] body, InboundChannel channel, CancellationToken ct)
    {
        var kind = kinds.Find(kindName);
        if (kind is null)
            return IntakeOutcome.Refused(StatusCodes.Status400BadRequest, "Unknown kind of message", "unknown-kind",
                [new FieldError("type", $"'{kindName ?? "(none)"}' is not a kind the hub knows. Known kinds: {string.Join(", ", kinds.All.Select(k => k.Name))}.")]);
        if (kind.OnlyFrom is { } only && only != agency)
            return IntakeOutcome.Refused(StatusCodes.Status403Forbidden, "Not your agency's kind of message", "kind-not-allowed",
                [new FieldError("type", $"Only {only} sends {kind.Name}; these credentials belong to {agency}.")]);

        var result = kind.Read(body, agency);
        if (!result.Ok)
            return IntakeOutcome.Refused(StatusCodes.Status400BadRequest, $"The {kind.Name} could not be read", "invalid", ConcernReader.Errors(result.Problems));

        var intake = intakes.FirstOrDefault(i => i.MessageType == result.Message!.GetType());
        if (intake is null)
            return IntakeOutcome.Refused(StatusCodes.Status422UnprocessableEntity, "Not accepted here", "no-intake",
                [new FieldError("type", $"The hub reads {kind.Name} but has no intake for {result.Message!.GetType().Name} in this deployment.")]);
        return await intake.AcceptAsync(agency, result.Message!, channel, ct);
    }
}
