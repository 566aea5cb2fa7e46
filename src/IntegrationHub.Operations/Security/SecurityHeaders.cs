using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IntegrationHub.Operations.Security;

/// <summary>
/// Headers on the console's pages and on the API: never framed (clickjacking), never content-sniffed, no referrer
/// carrying a tracking id elsewhere; console pages are never cached, since they show who is signed in and what flows.
/// The policy names frame-ancestors only: the pages' inline script and style would fall to a default-src.
/// </summary>
public static class SecurityHeaders
{
    public static IApplicationBuilder UseHubSecurityHeaders(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var path = http.Request.Path;
        var console = path.StartsWithSegments("/operations");
        if (console || path.StartsWithSegments("/api"))
        {
            var headers = http.Response.Headers;
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = "frame-ancestors 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            if (console) headers.CacheControl = "no-store";
        }
        await next(http);
    });
}
