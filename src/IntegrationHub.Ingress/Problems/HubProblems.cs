using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Ingress.Problems;

/// <summary>One thing wrong with a request, and where: a JSON path such as <c>child.ageYears</c>, or a header name.</summary>
public sealed record FieldError(string Field, string Message);

/// <summary>RFC 9457 problem responses (<c>application/problem+json</c>) that name what is wrong and where.</summary>
public static class HubProblems
{
    /// <param name="extensions">Further members of the problem, named as they appear in it (e.g. <c>laterCopies</c>).</param>
    public static IResult Problem(int status, string title, string? detail = null, IReadOnlyList<FieldError>? errors = null, Guid? quarantineId = null,
        IReadOnlyDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = detail,
            Type = $"https://integrationhub.dev/problems/{status}",
        };
        if (errors is { Count: > 0 }) problem.Extensions["errors"] = errors;
        if (quarantineId is not null) problem.Extensions["quarantineId"] = quarantineId;
        foreach (var (name, value) in extensions ?? new Dictionary<string, object?>()) problem.Extensions[name] = value;
        return Results.Problem(problem);
    }

    public static IResult MissingKey() =>
        Problem(StatusCodes.Status401Unauthorized, "API key required",
            "Send your agency's key in the X-Api-Key header (or, where the hub is configured for it, connect with your agency's client certificate).",
            [new FieldError("X-Api-Key", "Header missing.")]);

    public static IResult UnknownCertificate() =>
        Problem(StatusCodes.Status401Unauthorized, "Client certificate not recognised",
            "The TLS client certificate is not one the hub knows for any agency (by its SHA-256 thumbprint), or is outside its validity dates.",
            [new FieldError("client certificate", "Unknown certificate.")]);

    public static IResult CredentialsDisagree() =>
        Problem(StatusCodes.Status401Unauthorized, "Credentials disagree",
            "The X-Api-Key and the TLS client certificate belong to different callers; send one agency's credentials.",
            [new FieldError("X-Api-Key", "Another caller's key than the certificate's.")]);

    public static IResult UnknownKey() =>
        Problem(StatusCodes.Status401Unauthorized, "API key not recognised", "The X-Api-Key header does not hold a key the hub knows.",
            [new FieldError("X-Api-Key", "Unknown key.")]);

    public static IResult Forbidden(string detail) => Problem(StatusCodes.Status403Forbidden, "Not allowed", detail);

    public static IResult NotFound(string what) => Problem(StatusCodes.Status404NotFound, "Not found", $"No {what} with that id is visible to you.");
}
