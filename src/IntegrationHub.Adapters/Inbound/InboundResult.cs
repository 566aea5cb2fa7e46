using System.Text.Json;
using IntegrationHub.Contracts;

namespace IntegrationHub.Adapters.Inbound;

/// <summary>One thing wrong with what an agency sent, and where (a JSON path into its own format).</summary>
public sealed record InboundProblem(string Field, string Message);

/// <summary>What an adapter made of an agency's message: the hub's contract, or what is wrong with it.</summary>
public sealed record InboundResult(object? Message, IReadOnlyList<InboundProblem> Problems)
{
    public bool Ok => Message is not null && Problems.Count == 0;

    public static InboundResult Success(object message) => new(message, []);

    public static InboundResult Refused(params InboundProblem[] problems) => new(null, problems);

    /// <summary>Reads <typeparamref name="T"/> strictly (unknown and missing required fields are errors) and maps it.</summary>
    public static InboundResult Read<T>(ReadOnlySpan<byte> body, Func<T, InboundResult> map) where T : class
    {
        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(ContractJson.WithoutByteOrderMark(body), ContractJson.Strict);
        }
        catch (JsonException ex)
        {
            return Refused(JsonProblems.Describe(ex));
        }
        return value is null ? Refused(new InboundProblem("$", "The body is JSON null; send an object.")) : map(value);
    }
}
