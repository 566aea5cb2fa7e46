using IntegrationHub.Ingress.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Operations.Security;

/// <summary>
/// What a browser on HTTPS needs from the hub: its cookies marked Secure, so they never cross the network in clear,
/// and HSTS, so it never asks the hub over plain HTTP again. Both follow the request's scheme: the console's cookies
/// are <c>SameAsRequest</c>, which keeps the embedded default on plain http://localhost working. Behind a reverse proxy
/// that ends TLS the hub sees plain HTTP and would send neither; <see cref="SecurityOptions.ServedOverHttps"/> says
/// the browser's request was HTTPS. Not <c>X-Forwarded-Proto</c>: any client can send that header, so believing it
/// would need the proxy's addresses configured too, for what this one setting says.
/// </summary>
public static class HubHttps
{
    /// <summary>A year, as HSTS preload lists ask; no <c>includeSubDomains</c>, which would bind other sites of the organisation.</summary>
    public static readonly TimeSpan HstsMaxAge = TimeSpan.FromDays(365);

    public static IServiceCollection AddHubHttps(this IServiceCollection services) =>
        // The framework's HSTS middleware: only on HTTPS requests, never for localhost, 127.0.0.1 or [::1], where it
        // would hold every local site of the browser to HTTPS for a year.
        services.AddHsts(o => o.MaxAge = HstsMaxAge);

    /// <summary>Before authentication and anti-forgery, which set the cookies.</summary>
    public static WebApplication UseHubHttps(this WebApplication app)
    {
        var security = app.Services.GetRequiredService<IOptions<SecurityOptions>>();
        app.Use((http, next) =>
        {
            if (security.Value.ServedOverHttps) http.Request.Scheme = "https";
            return next(http);
        });
        // Not in Development: a developer's certificate on https://localhost is not one to pin a browser to.
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        return app;
    }
}
