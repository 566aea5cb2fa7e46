using System.Globalization;
using System.Text;
using IntegrationHub.Ingress.Quarantine;
using IntegrationHub.Operations.Agencies;
using IntegrationHub.Operations.Audit;
using IntegrationHub.Operations.Content;
using IntegrationHub.Operations.Deadlines;
using IntegrationHub.Operations.Failures;
using IntegrationHub.Operations.Flow;
using IntegrationHub.Operations.Lifecycle;
using IntegrationHub.Operations.Queues;
using IntegrationHub.Operations.Security;
using IntegrationHub.Persistence;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static IntegrationHub.Operations.Pages.Html;

namespace IntegrationHub.Operations.Pages;

/// <summary>The console's pages under <c>/operations</c>: sign-in, flow, queues, failures, deadlines, audit, patterns, MARP review list, agency keys (admin).</summary>
public static class ConsolePages
{
    public static IEndpointRouteBuilder MapConsolePages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/operations/login", Login).AllowAnonymous();
        app.MapPost("/operations/login", LoginPost).AllowAnonymous().RequireRateLimiting(SignInThrottle.FormPolicy);
        app.MapGet("/operations/denied", (HttpContext http) => Page(http, "You cannot do that",
            "<p class=\"govuk-body\">Your role does not allow this. Ask a supervisor.</p>", StatusCodes.Status403Forbidden)).AllowAnonymous();

        var pages = app.MapGroup("/operations").RequireAuthorization(OperationsAuthentication.ConsolePolicy(OperatorRoles.Operator)).ExcludeFromDescription();
        pages.MapPost("/logout", async (HttpContext http) =>
        {
            if (await Invalid(http) is { } bad) return bad;
            await http.SignOutAsync(OperationsAuthentication.CookieScheme);
            return Results.Redirect("/operations/login");
        });
        pages.MapGet("", () => Results.Redirect("/operations/flow"));
        pages.MapGet("/flow", Flow);
        pages.MapGet("/flow/live", async (FlowQueries q, CancellationToken ct) => Fragment(FlowBody(await q.SnapshotAsync(25, ct))));
        pages.MapGet("/queues", Queues);
        pages.MapGet("/queues/live", async (QueueQueries q, CancellationToken ct) => Fragment(QueuesBody(await q.SnapshotAsync(ct))));
        pages.MapGet("/failures", Failures);
        pages.MapPost("/failures/action", FailureAction);
        pages.MapGet("/deadlines", Deadlines);
        pages.MapGet("/audit", AuditPage);
        pages.MapPost("/audit/verify", AuditVerify);
        pages.MapGet("/insights", () => Results.Redirect("/operations/patterns"));
        pages.MapGet("/patterns", Patterns);
        pages.MapGet("/marp-review", MarpReview);
        var admin = app.MapGroup("/operations/agencies").RequireAuthorization(OperationsAuthentication.ConsolePolicy(OperatorRoles.Admin)).ExcludeFromDescription();
        admin.MapGet("", Agencies);
        admin.MapPost("/{agency}/keys", IssueKey);
        pages.MapGet("/messages/{trackingId:guid}", Message);
        pages.MapPost("/messages/{trackingId:guid}/open", OpenContent);
        return app;
    }

    private static int Refresh(HttpContext http) => http.RequestServices.GetRequiredService<IOptions<OperatorOptions>>().Value.RefreshSeconds;

    private static async Task<IResult?> Invalid(HttpContext http)
    {
        try
        {
            await http.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(http);
            return null;
        }
        catch (AntiforgeryValidationException)
        {
            return Page(http, "The form has expired", "<p class=\"govuk-body\">Go back, reload the page and try again.</p>", StatusCodes.Status400BadRequest);
        }
    }

    private static IResult Login(HttpContext http, string? returnUrl) => Page(http, "Sign in", LoginForm(http, returnUrl, null));

    private static string LoginForm(HttpContext http, string? returnUrl, string? error) => $"""
        {(error is null ? "" : $"<div class=\"govuk-error-summary\" data-module=\"govuk-error-summary\"><div role=\"alert\"><h2 class=\"govuk-error-summary__title\">There is a problem</h2><div class=\"govuk-error-summary__body\"><ul class=\"govuk-list govuk-error-summary__list\"><li><a href=\"#username\">{E(error)}</a></li></ul></div></div></div>")}
        <form method="post" action="/operations/login" novalidate>{Form(http)}
          <input type="hidden" name="returnUrl" value="{E(returnUrl)}">
          <div class="govuk-form-group"><label class="govuk-label" for="username">User name</label>
            <input class="govuk-input govuk-!-width-one-third" id="username" name="username" type="text" autocomplete="username" spellcheck="false"></div>
          <div class="govuk-form-group"><label class="govuk-label" for="password">Password</label>
            <input class="govuk-input govuk-!-width-one-third" id="password" name="password" type="password" autocomplete="current-password"></div>
          <button type="submit" class="govuk-button" data-module="govuk-button">Sign in</button>
        </form>
        """;

    private static async Task<IResult> LoginPost(HttpContext http, OperatorDirectory directory, TimeProvider clock, IDbContextFactory<HubDbContext> dbFactory,
        ILogger<OperatorDirectory> logger)
    {
        if (await Invalid(http) is { } bad) return bad;
        var form = await http.Request.ReadFormAsync();
        var op = directory.SignIn(form["username"], form["password"]);
        string? returnUrl = form["returnUrl"];
        if (op is null)
            logger.LogWarning("Console sign-in refused for user {User} from {RemoteAddress}", SignInThrottle.NameForLog(form["username"], directory), SignInThrottle.AddressOf(http));
        if (op is null) return Page(http, "Sign in", LoginForm(http, returnUrl, "The user name or password is not right."), StatusCodes.Status401Unauthorized);
        await http.SignInAsync(OperationsAuthentication.CookieScheme, OperationsAuthentication.PrincipalFor(op, OperationsAuthentication.CookieScheme),
            OperationsAuthentication.SessionProperties(clock.GetUtcNow()));
        await using (var db = await dbFactory.CreateDbContextAsync(http.RequestAborted))
        {
            db.Audit.Add(OperatorAudit.Entry(op, "ConsoleSignedIn", "sign-in to the operations console", clock.GetUtcNow()));
            await db.SaveChangesAsync(http.RequestAborted);
        }
        return Results.Redirect(!string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith("/operations", StringComparison.Ordinal) && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            ? returnUrl : "/operations/flow");
    }

    private static async Task<IResult> Flow(HttpContext http, FlowQueries q, CancellationToken ct) =>
        Page(http, "Flow", Live("/operations/flow/live", FlowBody(await q.SnapshotAsync(25, ct)), Refresh(http)));

    private static string FlowBody(FlowSnapshot s)
    {
        var sb = new StringBuilder();
        sb.Append(Chart(s.LastDayByHour));
        sb.Append(Table("Concerns in, per agency and kind", ["Agency", "Kind", "Last hour", "Last day", "Last week"],
            s.ConcernsIn.Select(r => (IReadOnlyList<string>)[E(r.Key), E(r.Kind), E(r.LastHour), E(r.LastDay), E(r.LastWeek)])));
        sb.Append(Table("Deliveries out, per recipient", ["Recipient", "Last hour", "Last day", "Last week"],
            s.DeliveriesOut.Select(r => (IReadOnlyList<string>)[E(r.Key), E(r.LastHour), E(r.LastDay), E(r.LastWeek)])));
        sb.Append(Table("Latest messages (metadata only)", ["Tracking id", "Agency", "Kind", "Received", "Recipients", "Status", "Duration"],
            s.Latest.Select(m => (IReadOnlyList<string>)[
                $"<a class=\"govuk-link\" href=\"/operations/messages/{m.TrackingId}\"><span class=\"hub-id\">{E(m.TrackingId)}</span></a>",
                E(m.Agency), E(m.Kind), Time(m.ReceivedAt), E(string.Join(", ", m.Recipients)), Tag(m.Status),
                m.DurationMs is { } d ? E($"{d:0} ms") : ""]), id: "latest-messages"));
        return sb.ToString();
    }

    /// <summary>Concerns and deliveries per hour over the last day, as an inline SVG with a text alternative.</summary>
    private static string Chart(IReadOnlyList<ChartBar> bars)
    {
        const int width = 720, height = 160, pad = 24;
        var max = Math.Max(1, bars.Max(b => Math.Max(b.Concerns, b.Deliveries)));
        var slot = (width - pad) / (double)bars.Count;
        var sb = new StringBuilder();
        var total = bars.Sum(b => b.Concerns);
        var delivered = bars.Sum(b => b.Deliveries);
        sb.Append(CultureInfo.InvariantCulture, $"<figure class=\"hub-chart\"><figcaption class=\"govuk-heading-s\">Last 24 hours, per hour: concerns in (blue) and deliveries out (green)</figcaption>");
        sb.Append(CultureInfo.InvariantCulture, $"<svg role=\"img\" aria-label=\"{total} concerns in and {delivered} deliveries out in the last 24 hours\" viewBox=\"0 0 {width} {height + 20}\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\">");
        for (var i = 0; i < bars.Count; i++)
        {
            var x = pad + i * slot;
            var hc = bars[i].Concerns * height / (double)max;
            var hd = bars[i].Deliveries * height / (double)max;
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x + 2:0.#}\" y=\"{height - hc:0.#}\" width=\"{slot / 2 - 2:0.#}\" height=\"{hc:0.#}\" fill=\"#1d70b8\"><title>{bars[i].Hour:HH}:00 {bars[i].Concerns} concerns</title></rect>");
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x + slot / 2:0.#}\" y=\"{height - hd:0.#}\" width=\"{slot / 2 - 2:0.#}\" height=\"{hd:0.#}\" fill=\"#00703c\"><title>{bars[i].Hour:HH}:00 {bars[i].Deliveries} deliveries</title></rect>");
            if (i % 3 == 0) sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:0.#}\" y=\"{height + 16}\" font-size=\"12\" fill=\"#0b0c0c\">{bars[i].Hour:HH}:00</text>");
        }
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{pad}\" y1=\"{height}\" x2=\"{width}\" y2=\"{height}\" stroke=\"#0b0c0c\"/><text x=\"0\" y=\"12\" font-size=\"12\" fill=\"#0b0c0c\">{max}</text></svg></figure>");
        return sb.ToString();
    }

    private static async Task<IResult> Queues(HttpContext http, QueueQueries q, CancellationToken ct) =>
        Page(http, "Queues", Live("/operations/queues/live", QueuesBody(await q.SnapshotAsync(ct)), Refresh(http)));

    private static string QueuesBody(QueueSnapshot s) =>
        $"<p class=\"govuk-body\">Source: {E(s.Source)}. Rates are {E(s.RateUnit)}.</p>"
        + (s.Problem is null ? "" : Notification("Queues unavailable", s.Problem))
        + Table("Hub queues", ["Queue", "Messages", "Consumers", "In", "Out"], s.Queues.Select(r => (IReadOnlyList<string>)[
            E(r.Name) + (!r.IsError ? "" : r.Name.EndsWith("_skipped", StringComparison.Ordinal)
                ? " <strong class=\"govuk-tag govuk-tag--red\">skipped: nothing consumed it</strong>"
                : " <strong class=\"govuk-tag govuk-tag--red\">error queue</strong>"),
            E(r.Messages), E(r.Consumers?.ToString(CultureInfo.InvariantCulture) ?? "–"),
            E(r.InRate?.ToString("0.##", CultureInfo.InvariantCulture) ?? "–"), E(r.OutRate?.ToString("0.##", CultureInfo.InvariantCulture) ?? "–")]));

    private static async Task<IResult> Failures(HttpContext http, FailureQueries q, string? done, CancellationToken ct)
    {
        var s = await q.OpenAsync(ct);
        var sb = new StringBuilder();
        if (!string.IsNullOrEmpty(done)) sb.Append(Notification("Done", done, success: true));
        sb.Append(CultureInfo.InvariantCulture, $"<p class=\"govuk-body\">{s.Open} routing failures and {s.Quarantined} quarantined inputs are waiting. To force a failure for a demonstration, set <code>Hub:Testing:FailRouting</code> to <code>true</code> (see docs/operations.md).</p>");
        var n = 0;
        foreach (var g in s.Groups)
        {
            n++;
            sb.Append(CultureInfo.InvariantCulture, $"<h2 class=\"govuk-heading-m\" id=\"group-{n}\">{E(g.ExceptionType)} <span class=\"govuk-caption-m\">{E(g.Source)}: {E(g.MessageShape)}</span></h2>");
            sb.Append(CultureInfo.InvariantCulture, $"<dl class=\"govuk-summary-list\"><div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">Count</dt><dd class=\"govuk-summary-list__value\">{g.Count}</dd></div>");
            sb.Append(CultureInfo.InvariantCulture, $"<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">First seen</dt><dd class=\"govuk-summary-list__value\">{Time(g.FirstSeen)}</dd></div>");
            sb.Append(CultureInfo.InvariantCulture, $"<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">Last seen</dt><dd class=\"govuk-summary-list__value\">{Time(g.LastSeen)}</dd></div></dl>");
            sb.Append(CultureInfo.InvariantCulture, $"<form method=\"post\" action=\"/operations/failures/action\">{Form(http)}<input type=\"hidden\" name=\"cause\" value=\"{E(g.Cause)}\"><input type=\"hidden\" name=\"action\" value=\"retry-group\"><button class=\"govuk-button govuk-button--secondary\" data-module=\"govuk-button\" aria-describedby=\"group-{n}\">Retry all {g.Count}</button></form>");
            sb.Append(Table($"Items with this cause", ["Id", "Tracking id", "Agency", "Last seen", "Times", "Actions"], g.Items.Select(i => (IReadOnlyList<string>)[
                $"<span class=\"hub-id\">{E(i.Id)}</span>",
                i.TrackingId is { } t ? $"<a class=\"govuk-link\" href=\"/operations/messages/{t}\"><span class=\"hub-id\">{E(t)}</span></a>" : "",
                E(i.Agency), Time(i.LastSeen), E(i.Occurrences), ItemActions(http, i)]), captionVisible: false));
        }
        if (s.Groups.Count == 0) sb.Append("<p class=\"govuk-body\">Nothing has failed.</p>");
        return Page(http, "Failures", sb.ToString());
    }

    private static string ItemActions(HttpContext http, FailureItem i) => $"""
        <form method="post" action="/operations/failures/action" class="hub-inline">{Form(http)}<input type="hidden" name="id" value="{i.Id}"><input type="hidden" name="action" value="retry">
          <button class="govuk-button govuk-!-margin-bottom-1" data-module="govuk-button" aria-label="Retry {i.Id}">Retry</button></form>
        <form method="post" action="/operations/failures/action" class="hub-inline">{Form(http)}<input type="hidden" name="id" value="{i.Id}"><input type="hidden" name="action" value="discard">
          <div class="govuk-form-group govuk-!-margin-bottom-1"><label class="govuk-label govuk-label--s" for="reason-{i.Id}">Reason to discard</label>
          <input class="govuk-input govuk-input--width-20" id="reason-{i.Id}" name="reason" type="text"></div>
          <button class="govuk-button govuk-button--warning govuk-!-margin-bottom-1" data-module="govuk-button" aria-label="Discard {i.Id}">Discard</button></form>
        """;

    private static async Task<IResult> FailureAction(HttpContext http, FailureActions actions, CancellationToken ct)
    {
        if (await Invalid(http) is { } bad) return bad;
        var form = await http.Request.ReadFormAsync(ct);
        var who = http.User.OperatorOf();
        string reason = form["reason"].ToString().Trim();
        string done;
        switch (form["action"].ToString())
        {
            case "retry" when Guid.TryParse(form["id"], out var id):
                // "Replay anyway" on the warning below posts confirm=true: the operator has seen the later copies.
                var confirmed = form["confirm"] == "true";
                var r = await actions.RetryAsync(id, who, confirmed ? (reason.Length > 0 ? reason : "replayed anyway from the failures page") : "retried from the failures page",
                    confirmed, ct);
                if (r is { Result: ReplayResult.ResentLaterOutcome, LaterCopies: { } copies })
                    return Page(http, "Sent again later", ResentLater(http, r.Id, copies), StatusCodes.Status409Conflict);
                done = r is null ? "Not found." : $"{r.Result}: {r.Id}";
                break;
            case "retry-group":
                var all = await actions.RetryGroupAsync(form["cause"].ToString(), who, "group retried from the failures page", ct);
                done = $"Retried {all.Retried} of {all.Count}." + (all.Skipped > 0 ? $" Skipped {all.Skipped}, {all.SkippedReason}." : "");
                break;
            case "discard" when Guid.TryParse(form["id"], out var id):
                if (reason.Length == 0) return Page(http, "Reason required", "<p class=\"govuk-body\">Say why it is discarded. <a class=\"govuk-link\" href=\"/operations/failures\">Back to failures</a></p>", StatusCodes.Status400BadRequest);
                var d = await actions.DiscardAsync(id, who, reason, ct);
                done = d is null ? "Not found." : $"{d.Result}: {d.Id}";
                break;
            default:
                return Results.BadRequest();
        }
        return Results.Redirect("/operations/failures?done=" + Uri.EscapeDataString(done));
    }

    /// <summary>
    /// A quarantined input held back because its agency sent it again after the refusal: the later copies (metadata
    /// only, each linked to its message page), and the two ways on, discard it or replay it anyway.
    /// </summary>
    private static string ResentLater(HttpContext http, Guid id, IReadOnlyList<LaterCopy> copies)
    {
        var table = Table("Sent again later", ["Tracking id", "Kind", "Received", "Over", "Same"], copies.Select(c => (IReadOnlyList<string>)[
            $"<a class=\"govuk-link\" href=\"/operations/messages/{c.TrackingId}\"><span class=\"hub-id\">{E(c.TrackingId)}</span></a>",
            E(c.Kind), Time(c.ReceivedAt), E(c.Channel), E(c.MatchedOn)]), id: "later-copies");
        return $"""
            <div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text" id="resent-later-warning"><span class="govuk-visually-hidden">Warning</span>
              The agency sent this input again after it was refused, and the hub routed that. Nothing was routed now: replaying it would decide and deliver the same concern a second time, under a second tracking id.</strong></div>
            <p class="govuk-body">Quarantined input <span class="hub-id">{E(id)}</span>. A later message is taken as a copy when it comes from the same agency after the refusal and, for a concern, names the same child (and the same sender reference, when both carry one); for a missing, found or return-interview report, the same police reference. A supervisor can open a later copy's content from its message page to compare (audited; the agency is told); the quarantined body itself is not shown here.</p>
            {table}
            <h2 class="govuk-heading-m">If the later one is this input sent again</h2>
            <form method="post" action="/operations/failures/action" novalidate>{Form(http)}<input type="hidden" name="id" value="{id}"><input type="hidden" name="action" value="discard">
              <div class="govuk-form-group"><label class="govuk-label" for="discard-reason">Reason to discard</label>
              <input class="govuk-input govuk-input--width-30" id="discard-reason" name="reason" type="text" value="{E($"sent again by the agency as {copies[0].TrackingId}")}"></div>
              <button class="govuk-button govuk-button--warning" data-module="govuk-button" id="discard-resent">Discard</button></form>
            <h2 class="govuk-heading-m">If it is a different concern or report</h2>
            <form method="post" action="/operations/failures/action" novalidate>{Form(http)}<input type="hidden" name="id" value="{id}"><input type="hidden" name="action" value="retry"><input type="hidden" name="confirm" value="true">
              <div class="govuk-form-group"><label class="govuk-label" for="anyway-reason">Why replay it anyway (optional; audited)</label>
              <input class="govuk-input govuk-input--width-30" id="anyway-reason" name="reason" type="text"></div>
              <button class="govuk-button govuk-button--secondary" data-module="govuk-button" id="replay-anyway">Replay anyway</button></form>
            <p class="govuk-body"><a class="govuk-link" href="/operations/failures">Back to failures</a></p>
            """;
    }

    private static async Task<IResult> Deadlines(HttpContext http, DeadlineQueries q, LifecycleQueries lifecycle, CancellationToken ct)
    {
        var s = await q.SnapshotAsync(30, ct);
        var open = await lifecycle.OpenEpisodesAsync(ct);
        var body = "<p class=\"govuk-body\">Clocks not yet met (return interviews, MASH decisions, LADO referrals): those started in the last 30 days, and every older one that is overdue. A clock recorded met (<code>POST /api/v1/deadlines/{id}/met</code>) leaves the list.</p>"
            + Table("By agency and owner", ["Agency", "Owner", "Due", "Overdue"], s.Groups.Select(g => (IReadOnlyList<string>)[E(g.Agency), E(g.Owner), E(g.Due),
                g.Overdue > 0 ? $"<strong class=\"govuk-tag govuk-tag--red\">{g.Overdue}</strong>" : "0"]))
            + Table("Every deadline", ["Due", "Kind", "Owner", "Agency", "Tracking id", "Rule"], s.Deadlines.Select(d => (IReadOnlyList<string>)[
                Time(d.DueAt) + (d.Overdue ? " <strong class=\"govuk-tag govuk-tag--red\">overdue</strong>" : ""), E(d.Kind), E(d.Owner), E(d.Agency),
                $"<a class=\"govuk-link\" href=\"/operations/messages/{d.TrackingId}\"><span class=\"hub-id\">{E(d.TrackingId)}</span></a>", E(d.RuleId)]))
            + OpenEpisodes(open);
        return Page(http, "Deadlines", body);
    }

    /// <summary>Missing episodes with no found report after Hub:Lifecycle:OpenEpisodeDays: no clock runs for them, so they are listed beside the clocks.</summary>
    private static string OpenEpisodes(OpenEpisodeSnapshot open) =>
        $"<h2 class=\"govuk-heading-m\" id=\"open-episodes-heading\">Missing with no found report after {E(open.OpenEpisodeDays)} days: {E(open.Count)}</h2>"
        + $"<p class=\"govuk-body\">Children reported missing whose episode started {E(open.OpenEpisodeDays)} or more days ago (<code>Hub:Lifecycle:OpenEpisodeDays</code>) and for whom no found report has arrived, oldest first. "
        + "The return interview's clock starts only at the found report, so none is owed yet: ask the police whether the child is still missing, or whether the found report was lost. "
        + "<code>GET /api/v1/missing-episodes/{id}</code> (operations key) gives an episode's history.</p>"
        + Table($"Missing episodes open with no found report ({open.Count})", ["Episode", "Child key", "Reported", "Started", "Days open", "Known CSE risk", "From care", "Reported by", "Missing report"],
            open.Episodes.Select(e => (IReadOnlyList<string>)[
                $"<span class=\"hub-id\">{E(e.EpisodeId)}</span>",
                e.ChildKey is { } key ? $"<a class=\"govuk-link\" href=\"/operations/audit?childKey={Uri.EscapeDataString(key)}\"><span class=\"hub-id\">{E(key)}</span></a>" : "",
                Time(e.ReportedAt), Time(e.StartedAt), E(e.DaysOpen),
                e.KnownCseRisk ? "<strong class=\"govuk-tag govuk-tag--red\">Yes</strong>" : "No",
                e.MissingFromCare ? "<strong class=\"govuk-tag govuk-tag--orange\">Yes</strong>" : "No",
                E(string.Join(", ", e.ReportedBy)),
                e.MissingReport is { } t ? $"<a class=\"govuk-link\" href=\"/operations/messages/{t}\"><span class=\"hub-id\">{E(t)}</span></a>" : ""]), id: "open-episodes");

    private static async Task<IResult> AuditPage(HttpContext http, AuditQueries q, string? trackingId, string? childKey, CancellationToken ct)
    {
        var s = await q.SearchAsync(trackingId, childKey, 500, ct);
        var body = $"""
            <form method="get" action="/operations/audit" role="search">
              <div class="govuk-form-group"><label class="govuk-label" for="trackingId">Tracking id</label>
                <input class="govuk-input govuk-input--width-30" id="trackingId" name="trackingId" type="text" value="{E(trackingId)}" spellcheck="false"></div>
              <div class="govuk-form-group"><label class="govuk-label" for="childKey">Pseudonymous child key</label>
                <input class="govuk-input govuk-input--width-30" id="childKey" name="childKey" type="text" value="{E(childKey)}" spellcheck="false"></div>
              <button class="govuk-button" data-module="govuk-button">Search</button>
            </form>
            <form method="post" action="/operations/audit/verify">{Form(http)}<button class="govuk-button govuk-button--secondary" data-module="govuk-button">Verify the hash chain</button></form>
            """ + Table(string.IsNullOrWhiteSpace(trackingId) && string.IsNullOrWhiteSpace(childKey) ? "Latest audit entries" : "Every event, oldest first",
                ["Entry", "When", "Event", "Who", "Detail", "Tracking id", "Chain"], s.Entries.Select(a => (IReadOnlyList<string>)[
                E(a.Id), Time(a.At), E(a.Event), E(a.Actor), E(a.Detail), a.TrackingId is { } t ? $"<span class=\"hub-id\">{E(t)}</span>" : "",
                a.ChainIndex is { } i ? E($"#{i} {a.Hash?[..12]}…") : "not yet sealed"]), id: "audit-entries");
        return Page(http, "Audit", body);
    }

    private static async Task<IResult> AuditVerify(HttpContext http, AuditQueries q, CancellationToken ct)
    {
        if (await Invalid(http) is { } bad) return bad;
        var v = await q.VerifyAsync(ct);
        return Page(http, "Audit chain", Notification(v.Intact ? "Intact" : "Broken", v.Summary, v.Intact)
            + "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/operations/audit\">Back to the audit log</a></p>");
    }

    private static async Task<IResult> Patterns(HttpContext http, LifecycleQueries lifecycle, InsightQueries insights, CancellationToken ct)
    {
        var p = await lifecycle.PatternsAsync(500, ct);
        var s = await insights.SnapshotAsync(30, ct);
        var body = $"<p class=\"govuk-body\">A pattern of concern (PAT-01) is {p.ChildrenForAPattern} or more children linked to one person, place, vehicle, phone or handle within {p.WindowDays} days, "
            + "from any agencies. The link itself (a name, an address, a registration, a number) goes only to the MARP and the police; here it is a fingerprint, and children are pseudonymous keys.</p>"
            + Table("Patterns of concern alerted", ["Pattern", "Kind of link", "Children", "Agencies", "First seen", "Last seen", "Status", "Recipients alerted"],
                p.Patterns.Select(r => (IReadOnlyList<string>)[
                    $"<span class=\"hub-id\">{E(r.PatternId)}</span><br><span class=\"govuk-body-s\">key {E(r.KeyFingerprint)}, revision {E(r.Revision)}</span>",
                    E(r.KeyKind),
                    $"{E(r.Children)}<details class=\"govuk-details govuk-!-margin-bottom-0\"><summary class=\"govuk-details__summary\"><span class=\"govuk-details__summary-text\">Child keys</span></summary><div class=\"govuk-details__text\">{string.Join("<br>", r.ChildKeys.Select(k => $"<a class=\"govuk-link\" href=\"/operations/audit?childKey={Uri.EscapeDataString(k)}\"><span class=\"hub-id\">{E(k)}</span></a>"))}</div></details>",
                    E(string.Join(", ", r.Agencies)), Time(r.FirstSeen), Time(r.LastSeen),
                    r.Status == "Active" ? "<strong class=\"govuk-tag govuk-tag--red\">Active</strong>" : "<strong class=\"govuk-tag govuk-tag--grey\">Past window</strong>",
                    E(string.Join(", ", r.RecipientsAlerted))]), id: "patterns")
            + Table("Language feedback per agency, last 30 days (LANG-01: where training is needed)", ["Agency", "Concerns", "With language feedback", "Findings"],
                s.LanguageFeedback.Select(r => (IReadOnlyList<string>)[E(r.Agency), E(r.Concerns), E(r.WithFeedback), E(r.Findings)]), id: "language-feedback");
        return Page(http, "Patterns and feedback", body);
    }

    private static async Task<IResult> MarpReview(HttpContext http, LifecycleQueries lifecycle, string? month, CancellationToken ct)
    {
        var list = await lifecycle.MarpReviewListAsync(month, ct);
        if (list is null) return Page(http, "MARP review list", "<p class=\"govuk-body\">Give the month as YYYY-MM. <a class=\"govuk-link\" href=\"/operations/marp-review\">This month</a></p>", StatusCodes.Status400BadRequest);
        var canOpen = OperatorRoles.Implied(http.User.OperatorOf().Role).Contains(OperatorRoles.Supervisor);
        var options = string.Concat(list.Months.Select(m => $"<option value=\"{E(m)}\"{(m == list.Month ? " selected" : "")}>{E(m)}</option>"));
        var body = $"""
            <p class="govuk-body">Children missing {E(list.RegularlyMissingEpisodes)} or more times within {E(list.WindowDays)} days go on the month's list for the multi-agency risk panel (MIS-01). Operators see pseudonymous keys and counts only; the panel reads identities with its own key.
            {(canOpen ? "As a supervisor you may open the missing report behind an entry, after giving a reason (audited; the police are told)." : "A supervisor may open the missing report behind an entry, after giving a reason.")}</p>
            <form method="get" action="/operations/marp-review">
              <div class="govuk-form-group"><label class="govuk-label" for="month">Month</label>
                <select class="govuk-select" id="month" name="month">{options}</select></div>
              <button class="govuk-button govuk-button--secondary" data-module="govuk-button">Show</button>
            </form>
            """
            + Table($"Review list for {list.Month}", ["Child key", "Month", "Missing episodes", "Reason", "Added", "Missing report"],
                list.Children.Select(r => (IReadOnlyList<string>)[
                    $"<a class=\"govuk-link\" href=\"/operations/audit?childKey={Uri.EscapeDataString(r.ChildKey)}\"><span class=\"hub-id\">{E(r.ChildKey)}</span></a>",
                    E(r.Month), E(r.MissingEpisodes), E(r.Reason), Time(r.AddedAt),
                    $"<a class=\"govuk-link\" href=\"/operations/messages/{r.TrackingId}\"><span class=\"hub-id\">{E(r.TrackingId)}</span></a>"]), id: "marp-review");
        return Page(http, "MARP review list", body);
    }

    private static async Task<IResult> Agencies(HttpContext http, AgencyKeys keys, CancellationToken ct) =>
        Page(http, "Agency keys", AgenciesBody(http, await keys.ListAsync(ct), null, null));

    private static string AgenciesBody(HttpContext http, IReadOnlyList<AgencyKeyRow> rows, string? errorAgency, string? error)
    {
        var sb = new StringBuilder("<p class=\"govuk-body\">Issue a new API key for an agency when it is lost, leaked or due for rotation. The key is shown once; the hub keeps only its SHA-256. "
            + "The agency's previous key stops working at once (or after <code>Hub:Security:KeyRotationGrace</code>). Every issue is audited with your name and reason.</p>");
        sb.Append(Table("Keys in force", ["Agency", "Source", "Keys (SHA-256 prefix)"], rows.Select(r => (IReadOnlyList<string>)[
            E(r.Agency), E(r.Source),
            r.Keys.Count == 0 ? "none" : string.Join("<br>", r.Keys.Select(k => $"<span class=\"hub-id\">{E(k.Sha256Prefix)}…</span>"
                + (k.IssuedAt is { } at ? $" issued {Time(at)} by {E(k.IssuedBy)}" : " from configuration")
                + (k.RetiresAt is { } until ? $", works until {Time(until)}" : "")))]), id: "agency-keys"));
        foreach (var r in rows)
        {
            var bad = errorAgency == r.Agency && error is not null;
            sb.Append(CultureInfo.InvariantCulture, $"""
                <form method="post" action="/operations/agencies/{E(r.Agency)}/keys" novalidate>{Form(http)}
                  <div class="govuk-form-group{(bad ? " govuk-form-group--error" : "")}">
                    <label class="govuk-label govuk-label--s" for="reason-{E(r.Agency)}">Why issue a new key for {E(r.Agency)}?</label>
                    {(bad ? $"<p id=\"reason-{E(r.Agency)}-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">Error:</span> {E(error)}</p>" : "")}
                    <input class="govuk-input govuk-input--width-30{(bad ? " govuk-input--error" : "")}" id="reason-{E(r.Agency)}" name="reason" type="text"{(bad ? $" aria-describedby=\"reason-{E(r.Agency)}-error\"" : "")}>
                  </div>
                  <button class="govuk-button govuk-button--warning" data-module="govuk-button">Issue a new key for {E(r.Agency)}</button>
                </form>
                """);
        }
        return sb.ToString();
    }

    private static async Task<IResult> IssueKey(string agency, HttpContext http, AgencyKeys keys, CancellationToken ct)
    {
        if (await Invalid(http) is { } bad) return bad;
        if (!AgencyKeys.TryParseAgency(agency, out var parsed)) return Page(http, "Not found", "<p class=\"govuk-body\">No such agency.</p>", StatusCodes.Status404NotFound);
        var form = await http.Request.ReadFormAsync(ct);
        var reason = form["reason"].ToString().Trim();
        if (reason.Length == 0)
            return Page(http, "Agency keys", AgenciesBody(http, await keys.ListAsync(ct), parsed.ToString().ToLowerInvariant(), "Say why the key is issued."), StatusCodes.Status400BadRequest);
        var issued = await keys.IssueAsync(parsed, http.User.OperatorOf(), reason, ct);
        http.Response.Headers.CacheControl = "no-store";
        return Page(http, $"New key for {issued.Agency}", Notification("Key issued", $"Give this key to {issued.Agency} now: it is not shown again. The previous key stops working "
                + (issued.PreviousKeysRetireAt > issued.IssuedAt ? $"at {issued.PreviousKeysRetireAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC." : "now."), success: true)
            + $"<p class=\"govuk-body\"><code class=\"hub-content\" id=\"new-key\">{E(issued.ApiKey)}</code></p>"
            + $"<p class=\"govuk-body\">SHA-256 prefix: <span class=\"hub-id\">{E(issued.Sha256Prefix)}…</span></p>"
            + "<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/operations/agencies\">Back to agency keys</a></p>");
    }

    private static async Task<IResult> Message(Guid trackingId, HttpContext http, IDbContextFactory<HubDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var m = await db.Messages.AsNoTracking().Where(x => x.TrackingId == trackingId)
            .Select(x => new { x.TrackingId, x.Agency, x.Kind, x.Channel, x.ReceivedAt, x.DecidedAt, x.Status, x.PurgedAt }).FirstOrDefaultAsync(ct);
        if (m is null) return Page(http, "Not found", "<p class=\"govuk-body\">No message with that tracking id.</p>", StatusCodes.Status404NotFound);
        var decisions = await db.Decisions.AsNoTracking().Where(d => d.TrackingId == trackingId).OrderBy(d => d.Revision)
            .Select(d => new { d.Revision, d.DecidedAt, d.ProtocolVersion, d.RuleIds }).ToListAsync(ct);
        var deliveries = await db.Deliveries.AsNoTracking().Where(d => d.TrackingId == trackingId)
            .Select(d => new { d.Recipient, d.Queue, d.MessageKind, d.SentAt }).ToListAsync(ct);
        var op = http.User.OperatorOf();
        var canOpen = OperatorRoles.Implied(op.Role).Contains(OperatorRoles.Supervisor);
        var body = $"""
            <dl class="govuk-summary-list">
              <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Tracking id</dt><dd class="govuk-summary-list__value"><span class="hub-id">{E(m.TrackingId)}</span></dd></div>
              <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Agency</dt><dd class="govuk-summary-list__value">{E(m.Agency)}</dd></div>
              <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Kind</dt><dd class="govuk-summary-list__value">{E(m.Kind)} over {E(m.Channel)}</dd></div>
              <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Received</dt><dd class="govuk-summary-list__value">{Time(m.ReceivedAt)}</dd></div>
              <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Decided</dt><dd class="govuk-summary-list__value">{Time(m.DecidedAt)}</dd></div>
              <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Content</dt><dd class="govuk-summary-list__value">{(m.PurgedAt is { } p ? "Purged " + Time(p) : "Held")}</dd></div>
            </dl>
            """
            + Table("Decision history", ["Revision", "Decided", "Protocol", "Rules"], decisions.Select(d => (IReadOnlyList<string>)[E(d.Revision), Time(d.DecidedAt), E(d.ProtocolVersion), E(d.RuleIds)]))
            + Table("Deliveries", ["Recipient", "Queue", "Kind", "Sent"], deliveries.Select(d => (IReadOnlyList<string>)[E(d.Recipient), E(d.Queue), E(d.MessageKind), Time(d.SentAt)]))
            + $"<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/operations/audit?trackingId={m.TrackingId}\">Every audit event of this message</a></p>"
            + (canOpen ? OpenForm(http, trackingId, null)
                : "<h2 class=\"govuk-heading-m\">Content</h2><p class=\"govuk-body\" id=\"content-not-allowed\">Operators see metadata only. A supervisor can open the content after giving a reason.</p>");
        return Page(http, "Message", body);
    }

    private static string OpenForm(HttpContext http, Guid trackingId, string? error) => $"""
        <h2 class="govuk-heading-m">Open the content</h2>
        <div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>Opening is audited and the sending agency is told, with your name and reason.</strong></div>
        <form method="post" action="/operations/messages/{trackingId}/open" novalidate>{Form(http)}
          <div class="govuk-form-group{(error is null ? "" : " govuk-form-group--error")}">
            <label class="govuk-label" for="reason">Why do you need to open this record?</label>
            <div class="govuk-hint" id="reason-hint">At least {ContentOpening.MinimumReasonLength} characters, e.g. the request or case you are acting on.</div>
            {(error is null ? "" : $"<p id=\"reason-error\" class=\"govuk-error-message\"><span class=\"govuk-visually-hidden\">Error:</span> {E(error)}</p>")}
            <textarea class="govuk-textarea{(error is null ? "" : " govuk-textarea--error")}" id="reason" name="reason" rows="3" aria-describedby="reason-hint{(error is null ? "" : " reason-error")}"></textarea>
          </div>
          <button class="govuk-button govuk-button--warning" data-module="govuk-button">Open content</button>
        </form>
        """;

    private static async Task<IResult> OpenContent(Guid trackingId, HttpContext http, ContentOpening opening, CancellationToken ct)
    {
        if (await Invalid(http) is { } bad) return bad;
        var op = http.User.OperatorOf();
        if (!OperatorRoles.Implied(op.Role).Contains(OperatorRoles.Supervisor))
            return Page(http, "You cannot do that", "<p class=\"govuk-body\">Only a supervisor can open a record's content.</p>", StatusCodes.Status403Forbidden);
        var form = await http.Request.ReadFormAsync(ct);
        var reason = form["reason"].ToString();
        if (reason.Trim().Length < ContentOpening.MinimumReasonLength)
            return Page(http, "Open the content", OpenForm(http, trackingId, $"Give a reason of at least {ContentOpening.MinimumReasonLength} characters."), StatusCodes.Status400BadRequest);
        var opened = await opening.OpenAsync(trackingId, op, reason, ct);
        if (opened is null) return Page(http, "Not found", "<p class=\"govuk-body\">No message with that tracking id.</p>", StatusCodes.Status404NotFound);
        return Page(http, "Message content", Notification("Opened", $"Your opening is audited and {opened.Agency} has been told.", success: true)
            + $"<pre class=\"hub-content\" id=\"message-content\" tabindex=\"0\" aria-label=\"Message content\">{E(opened.Content)}</pre>"
            + $"<p class=\"govuk-body\"><a class=\"govuk-link\" href=\"/operations/messages/{trackingId}\">Back to the message</a></p>");
    }
}
