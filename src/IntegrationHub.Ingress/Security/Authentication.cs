using IntegrationHub.Ingress.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Ingress.Security;

public static class Authentication
{
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>
    /// The caller behind the request's API key or, with no key, its TLS client certificate (when agencies' certificates are
    /// configured); or the problem to return: 401 for no credentials, an unknown key or certificate, or a key and a
    /// certificate of two different callers.
    /// </summary>
    public static (Caller? Caller, IResult? Problem) Authenticate(HttpContext http)
    {
        var certificate = http.Connection.ClientCertificate;
        var byCertificate = certificate is null ? null : http.RequestServices.GetRequiredService<ClientCertificateRegistry>().Find(certificate);
        if (!http.Request.Headers.TryGetValue(ApiKeyHeader, out var presented) || string.IsNullOrWhiteSpace(presented))
        {
            if (certificate is null) return (null, HubProblems.MissingKey());
            return byCertificate is null ? (null, HubProblems.UnknownCertificate()) : (byCertificate, null);
        }

        var caller = http.RequestServices.GetRequiredService<ApiKeyRegistry>().Find(presented.ToString());
        if (caller is null) return (null, HubProblems.UnknownKey());
        // A certificate the hub does not know is no credential and is ignored beside a good key; one of another caller is a conflict.
        if (byCertificate is not null && byCertificate != caller) return (null, HubProblems.CredentialsDisagree());
        return (caller, null);
    }

    /// <summary>Operations staff only.</summary>
    public static IResult? RequireOperations(HttpContext http, out Caller? caller)
    {
        (caller, var problem) = Authenticate(http);
        if (problem is not null) return problem;
        return caller!.IsOperations ? null : HubProblems.Forbidden("This needs the operations key.");
    }
}
