using System.Globalization;
using System.Net;
using System.Text;
using IntegrationHub.Operations.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Operations.Pages;

/// <summary>
/// Server-rendered HTML in the GOV.UK Frontend design system (vendored under the host's wwwroot: nothing loads from the
/// internet). Every value is HTML-encoded. Pages show metadata only; content appears only on a supervisor's opening.
/// </summary>
public static class Html
{
    public static readonly (string Path, string Title, string Role)[] Nav =
    [
        ("/operations/flow", "Flow", OperatorRoles.Operator), ("/operations/queues", "Queues", OperatorRoles.Operator),
        ("/operations/failures", "Failures", OperatorRoles.Operator), ("/operations/deadlines", "Deadlines", OperatorRoles.Operator),
        ("/operations/audit", "Audit", OperatorRoles.Operator), ("/operations/patterns", "Patterns and feedback", OperatorRoles.Operator),
        ("/operations/marp-review", "MARP review", OperatorRoles.Operator), ("/operations/agencies", "Agency keys", OperatorRoles.Admin),
    ];

    public static string E(object? value) => WebUtility.HtmlEncode(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");

    public static string Time(DateTimeOffset? t) => t is { } v ? $"<time datetime=\"{v.UtcDateTime:O}\">{v.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC</time>" : "";

    public static string Form(HttpContext http)
    {
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        return $"<input type=\"hidden\" name=\"{E(tokens.FormFieldName)}\" value=\"{E(tokens.RequestToken)}\">";
    }

    public static IResult Page(HttpContext http, string title, string body, int status = 200)
    {
        var user = http.User.Identity?.IsAuthenticated == true ? http.User.OperatorOf() : null;
        var path = http.Request.Path.Value ?? "";
        var nav = new StringBuilder();
        if (user is not null)
        {
            foreach (var (href, text, role) in Nav)
            {
                if (!OperatorRoles.Implied(user.Role).Contains(role)) continue;
                var active = path.StartsWith(href, StringComparison.Ordinal);
                nav.Append(active
                    ? $"<li class=\"govuk-service-navigation__item govuk-service-navigation__item--active\"><a class=\"govuk-service-navigation__link\" href=\"{href}\" aria-current=\"page\"><strong class=\"govuk-service-navigation__active-fallback\">{E(text)}</strong></a></li>"
                    : $"<li class=\"govuk-service-navigation__item\"><a class=\"govuk-service-navigation__link\" href=\"{href}\">{E(text)}</a></li>");
            }
        }
        var signedIn = user is null ? "" : $"""
            <form method="post" action="/operations/logout" class="govuk-!-margin-bottom-0">{Form(http)}
              <p class="govuk-body-s govuk-!-margin-bottom-0">Signed in as <strong>{E(user.Name)}</strong> ({E(user.Role)})
              <button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0 govuk-!-margin-left-2">Sign out</button></p>
            </form>
            """;
        var html = $$"""
            <!DOCTYPE html>
            <html lang="en-GB" class="govuk-template govuk-template--rebranded">
            <head>
              <meta charset="utf-8">
              <title>{{E(title)}} – IntegrationHub operations</title>
              <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
              <link rel="icon" href="/assets/images/favicon.svg" type="image/svg+xml">
              <link rel="stylesheet" href="/govuk/govuk-frontend.min.css">
              <link rel="stylesheet" href="/operations-console/console.css">
            </head>
            <body class="govuk-template__body">
              <script>document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');</script>
              <a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">Skip to main content</a>
              <section aria-label="Service information" class="govuk-service-navigation" data-module="govuk-service-navigation">
                <div class="govuk-width-container">
                  <div class="govuk-service-navigation__container">
                    <span class="govuk-service-navigation__service-name"><a href="/operations/flow" class="govuk-service-navigation__link">Operations console</a></span>
                    {{(user is null ? "" : $"<nav aria-label=\"Menu\" class=\"govuk-service-navigation__wrapper\"><button type=\"button\" class=\"govuk-service-navigation__toggle govuk-js-service-navigation-toggle\" aria-controls=\"navigation\" hidden>Menu</button><ul class=\"govuk-service-navigation__list\" id=\"navigation\">{nav}</ul></nav>")}}
                  </div>
                </div>
              </section>
              <div class="govuk-width-container">
                <div class="hub-user">{{signedIn}}</div>
                <main class="govuk-main-wrapper" id="main-content">
                  <h1 class="govuk-heading-l">{{E(title)}}</h1>
                  {{body}}
                </main>
              </div>
              <footer class="govuk-footer"><div class="govuk-width-container"><div class="govuk-footer__meta"><div class="govuk-footer__meta-item govuk-footer__meta-item--grow">
                <p class="govuk-body-s">Operators see metadata only. Opening a record's content needs a supervisor and a reason; it is audited and the sending agency is told.</p>
              </div></div></div></footer>
              <script type="module" src="/operations-console/console.js"></script>
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    public static string Table(string caption, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, string? id = null, bool captionVisible = true)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<table class=\"govuk-table\"{(id is null ? "" : $" id=\"{id}\"")}>");
        sb.Append(CultureInfo.InvariantCulture, $"<caption class=\"govuk-table__caption govuk-table__caption--m{(captionVisible ? "" : " govuk-visually-hidden")}\">{E(caption)}</caption>");
        sb.Append("<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">");
        foreach (var h in headers) sb.Append(CultureInfo.InvariantCulture, $"<th scope=\"col\" class=\"govuk-table__header\">{E(h)}</th>");
        sb.Append("</tr></thead><tbody class=\"govuk-table__body\">");
        var any = false;
        foreach (var row in rows)
        {
            any = true;
            sb.Append("<tr class=\"govuk-table__row\">");
            for (var i = 0; i < row.Count; i++)
                sb.Append(i == 0 ? $"<th scope=\"row\" class=\"govuk-table__header\">{row[i]}</th>" : $"<td class=\"govuk-table__cell\">{row[i]}</td>");
            sb.Append("</tr>");
        }
        if (!any) sb.Append(CultureInfo.InvariantCulture, $"<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\" colspan=\"{headers.Count}\">None.</td></tr>");
        sb.Append("</tbody></table>");
        return sb.ToString();
    }

    public static string Live(string url, string inner, int seconds) =>
        $"<div data-live-url=\"{E(url)}\" data-live-seconds=\"{seconds}\">{inner}</div><p class=\"govuk-body-s\" data-live-status>Updates every {seconds} seconds.</p>";

    public static IResult Fragment(string inner) => Results.Content(inner, "text/html; charset=utf-8", Encoding.UTF8);

    public static string Tag(string status) => status switch
    {
        "Delivered" => $"<strong class=\"govuk-tag govuk-tag--green\">{E(status)}</strong>",
        "Failed" => $"<strong class=\"govuk-tag govuk-tag--red\">{E(status)}</strong>",
        "Received" => $"<strong class=\"govuk-tag govuk-tag--yellow\">{E(status)}</strong>",
        _ => $"<strong class=\"govuk-tag govuk-tag--blue\">{E(status)}</strong>",
    };

    public static string Notification(string title, string text, bool success = false) => success
        ? $"<div class=\"govuk-notification-banner govuk-notification-banner--success\" role=\"alert\" aria-labelledby=\"nb-title\" data-module=\"govuk-notification-banner\"><div class=\"govuk-notification-banner__header\"><h2 class=\"govuk-notification-banner__title\" id=\"nb-title\">{E(title)}</h2></div><div class=\"govuk-notification-banner__content\"><p class=\"govuk-notification-banner__heading\">{E(text)}</p></div></div>"
        : $"<div class=\"govuk-notification-banner\" role=\"region\" aria-labelledby=\"nb-title\" data-module=\"govuk-notification-banner\"><div class=\"govuk-notification-banner__header\"><h2 class=\"govuk-notification-banner__title\" id=\"nb-title\">{E(title)}</h2></div><div class=\"govuk-notification-banner__content\"><p class=\"govuk-notification-banner__heading\">{E(text)}</p></div></div>";
}
