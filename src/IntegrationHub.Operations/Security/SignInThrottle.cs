using System.Threading.RateLimiting;
using IntegrationHub.Operations.Pages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Operations.Security;

/// <summary>
/// Limits password guessing per client address: <c>Hub:Operations:SignInAttemptsPerMinute</c> posts of the sign-in
/// form (right or wrong: the rate limiter decides before the password is checked), and as many wrong
/// <c>Authorization: Basic</c> credentials on the operations API. Past the limit the answer is 429 until the minute ends.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    public const string FormPolicy = "console-sign-in";
    private const string BlockedItem = "hub:sign-in-blocked";

    private readonly PartitionedRateLimiter<string> _basicFailures;

    public SignInThrottle(IOptions<OperatorOptions> options)
    {
        var limit = options.Value.SignInAttemptsPerMinute;
        _basicFailures = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => Window(limit)));
    }

    public static IServiceCollection AddSignInThrottle(IServiceCollection services)
    {
        services.AddSingleton<SignInThrottle>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(FormPolicy, http =>
            {
                var limit = http.RequestServices.GetRequiredService<IOptions<OperatorOptions>>().Value.SignInAttemptsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(AddressOf(http), _ => Window(limit));
            });
            o.OnRejected = async (context, _) =>
            {
                var http = context.HttpContext;
                http.RequestServices.GetRequiredService<ILogger<SignInThrottle>>()
                    .LogWarning("Console sign-in from {RemoteAddress} refused: too many attempts in a minute", AddressOf(http));
                http.Response.Headers.RetryAfter = "60";
                await Html.Page(http, "Too many attempts to sign in",
                    "<p class=\"govuk-body\">There have been too many attempts to sign in from your address. Wait a minute and try again.</p>",
                    StatusCodes.Status429TooManyRequests).ExecuteAsync(http);
            };
        });
        return services;
    }

    /// <summary>The client's address, the key of its attempts (all clients behind one proxy or NAT share one).</summary>
    public static string AddressOf(HttpContext http) => http.Connection.RemoteIpAddress is { } a
        ? (a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).ToString() : "unknown";

    /// <summary>True when the address has used up its wrong Basic credentials for this minute; the challenge then answers 429.</summary>
    public bool BasicRefused(HttpContext http)
    {
        using var lease = _basicFailures.AttemptAcquire(AddressOf(http), 0);
        if (lease.IsAcquired) return false;
        http.Items[BlockedItem] = true;
        return true;
    }

    public void BasicFailed(HttpContext http)
    {
        using var lease = _basicFailures.AttemptAcquire(AddressOf(http), 1);
    }

    public static bool WasRefused(HttpContext http) => http.Items.ContainsKey(BlockedItem);

    /// <summary>
    /// The user name for a log line: a configured user's name, or <c>(not a user)</c>. A name that is no user's is not
    /// logged: it may be a password typed into the wrong field.
    /// </summary>
    public static string NameForLog(string? name, OperatorDirectory directory) => directory.CanonicalName(name) ?? "(not a user)";

    private static FixedWindowRateLimiterOptions Window(int limit) => new()
    {
        PermitLimit = limit,
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    public void Dispose() => _basicFailures.Dispose();
}
