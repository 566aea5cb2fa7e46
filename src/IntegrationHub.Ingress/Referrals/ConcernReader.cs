using System.Text.Json;
using IntegrationHub.Adapters.Inbound;
using IntegrationHub.Contracts;
using IntegrationHub.Contracts.Referrals;
using IntegrationHub.Ingress.Problems;

namespace IntegrationHub.Ingress.Referrals;

/// <summary>Reads a body strictly and says, field by field, what is wrong with it.</summary>
public static class ConcernReader
{
    public sealed record Result(Concern? Concern, IReadOnlyList<FieldError> Errors)
    {
        public bool Ok => Concern is not null && Errors.Count == 0;
    }

    public static Result Read(byte[] body) => From(InboundKinds.ReadConcern(body));

    /// <summary>An adapter's result as the concern it made, or the errors to answer with.</summary>
    public static Result From(InboundResult result) =>
        result.Ok && result.Message is Concern concern
            ? new Result(concern, [])
            : new Result(null, result.Problems.Count > 0 ? Errors(result.Problems) : [new FieldError("$", "This message is not a concern.")]);

    public static List<FieldError> Errors(IEnumerable<InboundProblem> problems) => problems.Select(p => new FieldError(p.Field, p.Message)).ToList();

    /// <summary>Reads any contract strictly: the value, or the one thing wrong with the body and where.</summary>
    public static (T? Value, FieldError? Error) ReadStrict<T>(ReadOnlySpan<byte> body) where T : class
    {
        try
        {
            var value = JsonSerializer.Deserialize<T>(ContractJson.WithoutByteOrderMark(body), ContractJson.Strict);
            return value is null ? (null, new FieldError("$", "The body is JSON null; send an object.")) : (value, null);
        }
        catch (JsonException ex)
        {
            var problem = JsonProblems.Describe(ex);
            return (null, new FieldError(problem.Field, problem.Message));
        }
    }
}
