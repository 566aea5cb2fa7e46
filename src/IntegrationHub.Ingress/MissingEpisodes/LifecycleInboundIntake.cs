using IntegrationHub.Adapters.Inbound;
using IntegrationHub.Contracts.Common;
using IntegrationHub.Contracts.MissingEpisodes;
using IntegrationHub.Contracts.ReturnInterviews;
using IntegrationHub.Ingress.Inbound;
using IntegrationHub.Lifecycle.Intake;

namespace IntegrationHub.Ingress.MissingEpisodes;

/// <summary>
/// Missing reports, found reports and return interviews from the inbound path (an agency's own format over HTTP, or
/// any of these over AMQP) into the lifecycle's intake, which records them and starts the clocks.
/// </summary>
public sealed class LifecycleInboundIntake<T>(LifecycleIntake intake) : IInboundIntake where T : class
{
    public Type MessageType => typeof(T);

    public async Task<IntakeOutcome> AcceptAsync(Agency agency, object message, InboundChannel channel, CancellationToken ct)
    {
        var accepted = message switch
        {
            ChildReportedMissing missing => await intake.AcceptAsync(agency, missing, channel.Name, channel.IdempotencyKey, ct),
            ChildFound found => await intake.AcceptAsync(agency, found, channel.Name, channel.IdempotencyKey, ct),
            ReturnInterviewCompleted interview => await intake.AcceptAsync(agency, interview, channel.Name, channel.IdempotencyKey, ct),
            _ => throw new ArgumentException($"Not a lifecycle message: {message.GetType().Name}", nameof(message)),
        };
        return accepted.KeyReused ? IntakeOutcome.KeyReused(channel.Name) : IntakeOutcome.Ok(accepted.TrackingId, accepted.Duplicate);
    }
}

/// <summary>The lifecycle contracts as inbound kinds, read as an agency sends them (without the fields the hub sets).</summary>
public static class LifecycleInboundKinds
{
    public static IEnumerable<InboundKind> All() =>
    [
        new(nameof(ChildReportedMissing), Agency.Police, "The hub's ChildReportedMissing contract (police).", Read<ChildReportedMissing>),
        new(nameof(ChildFound), Agency.Police, "The hub's ChildFound contract (police).", Read<ChildFound>),
        new(nameof(ReturnInterviewCompleted), null, "The hub's ReturnInterviewCompleted contract, from the interviewer's service.", Read<ReturnInterviewCompleted>),
    ];

    private static InboundResult Read<TBody>(byte[] body, Agency agency) where TBody : class
    {
        var read = LifecycleReader.Read<TBody>(body, agency);
        return read.Ok ? InboundResult.Success(read.Value!) : InboundResult.Refused([.. read.Errors.Select(e => new InboundProblem(e.Field, e.Message))]);
    }
}
