using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using IntegrationHub.Ingress.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Operations.Security;

/// <summary>
/// Two ways in, one set of identities: the console signs in with a cookie; scripts send the same user's credentials as
/// <c>Authorization: Basic</c>, or the operations API key in <c>X-Api-Key</c> (which acts as an operator named
/// <c>operations</c>). Behind an authenticating proxy (an OpenID Connect provider through oauth2-proxy), a third scheme
/// believes the proxy's user and group headers, from the configured proxy addresses only (docs/operations.md).
/// </summary>
public static class OperationsAuthentication
{
    public const string CookieScheme = "HubConsole";
    public const string ApiScheme = "HubOperationsApi";
    public const string ProxyScheme = "HubTrustedProxy";

    public static IServiceCollection AddOperationsAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(CookieScheme)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = "hub.console";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                // Secure on HTTPS, and on every request with Hub:Security:ServedOverHttps (HubHttps); not on plain
                // HTTP, as on the embedded http://127.0.0.1:5080, where a browser would refuse a Secure cookie.
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/operations/login";
                o.LogoutPath = "/operations/logout";
                o.AccessDeniedPath = "/operations/denied";
                o.SlidingExpiration = true;
                o.Events = new CookieAuthenticationEvents { OnValidatePrincipal = ValidateSessionAsync };
            })
            .AddScheme<AuthenticationSchemeOptions, ApiHandler>(ApiScheme, _ => { })
            .AddScheme<AuthenticationSchemeOptions, TrustedProxyHandler>(ProxyScheme, _ => { });
        services.AddOptions<CookieAuthenticationOptions>(CookieScheme)
            .Configure<IOptions<OperatorOptions>>((o, ops) => o.ExpireTimeSpan = TimeSpan.FromMinutes(ops.Value.SessionMinutes));

        // The API answers 401/403; the console redirects to its sign-in page. Same roles on both.
        SignInThrottle.AddSignInThrottle(services);
        var authorization = services.AddAuthorizationBuilder();
        foreach (var role in OperatorRoles.All)
        {
            authorization.AddPolicy(ApiPolicy(role), p => p.AddAuthenticationSchemes(ApiScheme, ProxyScheme).RequireRole(role));
            authorization.AddPolicy(ConsolePolicy(role), p => p.AddAuthenticationSchemes(CookieScheme, ProxyScheme).RequireRole(role));
        }
        return services;
    }

    /// <summary>
    /// When the user signed in, kept in the cookie's properties. Not <c>IssuedUtc</c>: the sliding expiry sets that
    /// to the time of each renewal.
    /// </summary>
    public const string SignedInItem = "hub:signed-in";

    public static AuthenticationProperties SessionProperties(DateTimeOffset signedIn) =>
        new(new Dictionary<string, string?> { [SignedInItem] = signedIn.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) });

    /// <summary>
    /// Ends a console session older than <c>Hub:Operations:SessionHours</c>, or whose user is no longer configured
    /// with the role it was signed in with (removed or demoted).
    /// </summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var now = (context.Options.TimeProvider ?? TimeProvider.System).GetUtcNow();
        var signedIn = context.Properties.Items.TryGetValue(SignedInItem, out var value)
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed : context.Properties.IssuedUtc;
        var name = context.Principal?.Identity?.Name;
        var role = context.Principal?.FindFirst("hub:role")?.Value;
        string? ended = null;
        if (signedIn is null || now - signedIn.Value >= TimeSpan.FromHours(services.GetRequiredService<IOptions<OperatorOptions>>().Value.SessionHours))
            ended = "signed in too long ago";
        else if (name is null || !services.GetRequiredService<OperatorDirectory>().Users.TryGetValue(name, out var user) || user.Role != role)
            ended = "the user is no longer configured with that role";
        if (ended is null) return;
        services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OperationsAuthentication))
            .LogInformation("Console session of {User} ended: {Reason}", name, ended);
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieScheme);
    }

    public static string ApiPolicy(string role) => "api-" + role;

    public static string ConsolePolicy(string role) => "console-" + role;

    public static ClaimsPrincipal PrincipalFor(Operator op, string scheme)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, op.Name), new("hub:role", op.Role) };
        claims.AddRange(OperatorRoles.Implied(op.Role).Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    /// <summary>The operator behind a request that passed authorization.</summary>
    public static Operator OperatorOf(this ClaimsPrincipal user) =>
        new(user.Identity?.Name ?? "unknown", user.FindFirst("hub:role")?.Value ?? OperatorRoles.Operator);

    private sealed class ApiHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
        OperatorDirectory directory, ApiKeyRegistry keys, SignInThrottle throttle) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (Request.Headers.TryGetValue(Authentication.ApiKeyHeader, out var key) && !string.IsNullOrWhiteSpace(key))
            {
                return Task.FromResult(keys.Find(key.ToString()) is { IsOperations: true }
                    ? Success(new Operator("operations", OperatorRoles.Operator))
                    : AuthenticateResult.Fail("Not the operations key."));
            }
            if (AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header)
                && string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) && header.Parameter is { } parameter)
            {
                if (throttle.BasicRefused(Context)) return Task.FromResult(AuthenticateResult.Fail("Too many wrong credentials from this address."));
                string decoded;
                try { decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parameter)); }
                catch (FormatException) { decoded = ""; }
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                var name = colon < 0 ? null : decoded[..colon];
                var op = name is null ? null : directory.SignIn(name, decoded[(colon + 1)..]);
                if (op is not null) return Task.FromResult(Success(op));
                throttle.BasicFailed(Context);
                Logger.LogWarning("Operations API sign-in refused for user {User} from {RemoteAddress}",
                    SignInThrottle.NameForLog(name, directory), SignInThrottle.AddressOf(Context));
                return Task.FromResult(AuthenticateResult.Fail("Unknown user or wrong password."));
            }
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        private AuthenticateResult Success(Operator op) =>
            AuthenticateResult.Success(new AuthenticationTicket(PrincipalFor(op, ApiScheme), ApiScheme));

        protected override Task HandleChallengeAsync(AuthenticationProperties properties)
        {
            if (SignInThrottle.WasRefused(Context))
            {
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                Response.Headers.RetryAfter = "60";
                return Task.CompletedTask;
            }
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            // Not "Basic": a browser would prompt for a password, then send it with any request to the hub, a cross-site
            // form's included. Scripts send their credentials without being asked.
            Response.Headers.WWWAuthenticate = "Hub-Basic realm=\"IntegrationHub operations\"";
            return Task.CompletedTask;
        }
    }

    /// <summary>
    /// The user named by a trusted proxy's headers. Says nothing (no result) when switched off, when the request did not
    /// come from a known proxy, or without the user header; it never challenges or forbids, so the cookie sign-in and the
    /// API's 401/403 answer as before.
    /// </summary>
    private sealed class TrustedProxyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
        IOptionsMonitor<OperatorOptions> operators) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var proxy = operators.CurrentValue.TrustedProxy;
            if (!proxy.Enabled || Context.Connection.RemoteIpAddress is not { } remote) return Task.FromResult(AuthenticateResult.NoResult());
            var from = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
            if (!proxy.KnownProxies.Any(p => System.Net.IPAddress.TryParse(p, out var known) && known.Equals(from)))
                return Task.FromResult(AuthenticateResult.NoResult());
            var user = Request.Headers[proxy.UserHeader].ToString().Trim();
            if (user.Length == 0) return Task.FromResult(AuthenticateResult.NoResult());
            var groups = Request.Headers[proxy.GroupsHeader].ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var role = groups.Select(g => proxy.Roles.GetValueOrDefault(g)).Where(r => r is not null && OperatorRoles.All.Contains(r))
                .OrderByDescending(r => OperatorRoles.Implied(r!).Count).FirstOrDefault();
            if (role is null) return Task.FromResult(AuthenticateResult.Fail("None of the user's groups maps to a console role."));
            var op = new Operator(user.Length > 100 ? user[..100] : user, role);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(PrincipalFor(op, ProxyScheme), ProxyScheme)));
        }

        protected override Task HandleChallengeAsync(AuthenticationProperties properties) => Task.CompletedTask;

        protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => Task.CompletedTask;
    }
}
