using IntegrationHub.Persistence;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Ingress.Problems;

/// <summary>
/// A request that failed because the database cannot be reached (decision 0015) is answered <c>503 Service Unavailable</c>
/// with <c>Retry-After</c>, not <c>500</c>: the sender should send it again, unchanged, after the wait. Usually nothing
/// of it was kept; but a connection lost during a commit leaves that unknown, so the answer says so and asks for the
/// same <c>Idempotency-Key</c>, which makes the resend harmless either way.
/// </summary>
public sealed class StoreOutageHandler(ILogger<StoreOutageHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 30;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!StoreOutage.Is(exception)) return false;
        logger.LogWarning("{Method} {Path} answered 503: the database cannot be reached ({ExceptionType})",
            httpContext.Request.Method, httpContext.Request.Path.Value, exception.GetType().Name);
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await HubProblems.Problem(StatusCodes.Status503ServiceUnavailable, "The hub cannot store messages just now",
                $"The hub could not confirm that it kept this request. Send it again, unchanged, in {RetryAfterSeconds} seconds or later, " +
                "with the same Idempotency-Key: a request sent with one is kept once however often it is sent (without one, a copy that was kept after all would be kept twice).")
            .ExecuteAsync(httpContext);
        return true;
    }
}
