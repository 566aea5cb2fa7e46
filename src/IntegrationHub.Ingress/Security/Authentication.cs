using IntegrationHub.Ingress.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Ingress.Security;

public static class Authentication
{
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>The caller behind the request's API key, or the problem to return (401 for a missing or unknown key).</summary>
    public static (Caller? Caller, IResult? Problem) Authenticate(HttpContext http)
    {
        var keys = http.RequestServices.GetRequiredService<ApiKeyRegistry>();
        if (!http.Request.Headers.TryGetValue(ApiKeyHeader, out var presented) || string.IsNullOrWhiteSpace(presented))
            return (null, HubProblems.MissingKey());
        var caller = keys.Find(presented.ToString());
        return caller is null ? (null, HubProblems.UnknownKey()) : (caller, null);
    }

    /// <summary>Operations staff only.</summary>
    public static IResult? RequireOperations(HttpContext http, out Caller? caller)
    {
        (caller, var problem) = Authenticate(http);
        if (problem is not null) return problem;
        return caller!.IsOperations ? null : HubProblems.Forbidden("This needs the operations key.");
    }
}
