using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Deque.AxeCore.Playwright;
using IntegrationHub.Contracts;
using IntegrationHub.Tests;
using IntegrationHub.Tests.Lifecycle;
using Microsoft.Playwright;

namespace IntegrationHub.Console.Tests;

/// <summary>
/// Issue #7: the Patterns and MARP review pages show operators pseudonymous metadata only; a supervisor opens the
/// missing report behind a review-list entry only with a reason; an admin issues an agency key, shown once.
/// </summary>
[Trait("Category", "Browser")]
public sealed class When_operators_look_at_patterns_and_the_review_list : IClassFixture<BrowserHub>
{
    private const string Vrm = "BR19 OWS";
    private const string RegularChild = "LA-BRW-MISSING";

    /// <summary>What the seeded messages say about the children and the car: none of it may reach an operator's page.</summary>
    private static readonly string[] Identifiers =
        ["Testchild", "LA-BRW-A", "LA-BRW-B", RegularChild, Vrm, "BR19OWS", "2012-03-04", "Referrer Example", "unknown adult after school", "WI-BRW"];

    private readonly BrowserHub _b;

    public When_operators_look_at_patterns_and_the_review_list(BrowserHub browser) => _b = browser;

    private static async Task AssertNoIdentifiersAsync(IPage page)
    {
        var html = await page.ContentAsync();
        foreach (var identifier in Identifiers) Assert.DoesNotContain(identifier, html, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task AssertAccessibleAsync(IPage page, string name)
    {
        var result = await page.RunAxe();
        var bad = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(bad.Count == 0, $"{name}: " + string.Join("; ", bad.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
    }

    private async Task<(JsonElement Pattern, JsonElement ReviewEntry)> SeedAsync()
    {
        // PAT-01: two agencies name the same car for two different children.
        foreach (var (agency, child, vrm) in new[] { ("police", "LA-BRW-A", Vrm), ("education", "LA-BRW-B", "br19ows") })
        {
            var client = _b.ClientFor(agency);
            await client.WaitForDecisionAsync(await client.PostConcernAsync(LifecycleMessages.ConcernNamingVehicle(child, vrm)));
        }
        // MIS-01: one child missing three times within 90 days.
        var police = _b.ClientFor("police");
        var operations = _b.ClientFor("operations");
        var now = DateTimeOffset.UtcNow;
        foreach (var daysAgo in new[] { 20, 10, 2 })
        {
            var reference = $"WI-BRW-{daysAgo}";
            var accepted = await police.PostLifecycleAsync("/api/v1/missing-reports", LifecycleMessages.Missing(reference, RegularChild, now.AddDays(-daysAgo)));
            await operations.WaitForEpisodeAsync(accepted.EpisodeId, e => e.Steps().Contains("ReportedMissing"));
            await police.PostLifecycleAsync("/api/v1/found-reports", LifecycleMessages.Found(reference, RegularChild, now.AddDays(-daysAgo).AddHours(5)));
            await operations.WaitForEpisodeAsync(accepted.EpisodeId, e => e.State() == "InterviewRequested");
        }

        var patterns = await LifecycleMessages.EventuallyAsync(() => operations.GetFromJsonAsync<JsonElement>("/api/v1/operations/patterns", ContractJson.Options),
            p => p.GetProperty("patterns").EnumerateArray().Any(x => x.GetProperty("children").GetInt32() == 2
                && x.GetProperty("recipientsAlerted").EnumerateArray().Count(r => r.GetString()!.EndsWith("(sent)", StringComparison.Ordinal)) == 2),
            "the pattern alerted to MARP and police");
        var review = await LifecycleMessages.EventuallyAsync(() => operations.GetFromJsonAsync<JsonElement>("/api/v1/operations/marp-review", ContractJson.Options),
            r => r.GetProperty("children").GetArrayLength() == 1, "the child on this month's review list");
        foreach (var identifier in Identifiers)
        {
            Assert.DoesNotContain(identifier, patterns.GetRawText(), StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(identifier, review.GetRawText(), StringComparison.OrdinalIgnoreCase);
        }
        return (patterns.GetProperty("patterns").EnumerateArray().Single(x => x.GetProperty("children").GetInt32() == 2),
            review.GetProperty("children").EnumerateArray().Single());
    }

    [Fact]
    public async Task Should_show_operators_patterns_and_the_review_list_as_pseudonymous_metadata_and_let_a_supervisor_open_the_report_with_a_reason()
    {
        var (pattern, entry) = await SeedAsync();
        var page = await _b.SignInAsync("operator");

        await page.GotoAsync("/operations/patterns");
        var row = page.Locator("#patterns tr", new() { HasText = pattern.GetProperty("patternId").GetString()! });
        await Assertions.Expect(row).ToContainTextAsync("Vehicle");
        await Assertions.Expect(row).ToContainTextAsync("education, police", new() { IgnoreCase = true });
        await Assertions.Expect(row).ToContainTextAsync("Active");
        await Assertions.Expect(row).ToContainTextAsync("Marp (sent), Police (sent)");
        await Assertions.Expect(page.Locator("#language-feedback")).ToContainTextAsync("Police");
        await AssertNoIdentifiersAsync(page);
        await AssertAccessibleAsync(page, "patterns");
        await BrowserHub.ScreenshotAsync(page, "patterns");

        await page.GotoAsync("/operations/marp-review");
        var childKey = entry.GetProperty("childKey").GetString()!;
        var listed = page.Locator("#marp-review tr", new() { HasText = childKey });
        await Assertions.Expect(listed).ToContainTextAsync("MIS-01 regularly missing: 3 episodes");
        await AssertNoIdentifiersAsync(page);
        await AssertAccessibleAsync(page, "marp-review");
        await BrowserHub.ScreenshotAsync(page, "marp-review");

        // Operators have no key management: no link, and the page refuses them.
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Agency keys" }).CountAsync());
        var denied = await page.GotoAsync("/operations/agencies");
        Assert.Equal((int)HttpStatusCode.Forbidden, denied!.Status);

        // A supervisor follows the entry to its missing report and opens it only with a reason.
        var supervisor = await _b.SignInAsync("supervisor");
        await supervisor.GotoAsync("/operations/marp-review");
        await AssertNoIdentifiersAsync(supervisor);
        await supervisor.Locator("#marp-review tr", new() { HasText = childKey }).GetByRole(AriaRole.Link, new() { Name = entry.GetProperty("trackingId").GetString()! }).ClickAsync();
        await AssertNoIdentifiersAsync(supervisor);
        await supervisor.GetByLabel("Why do you need to open this record?").FillAsync("MARP panel preparation, case conference 12");
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "Open content" }).ClickAsync();
        await Assertions.Expect(supervisor.Locator("#message-content")).ToContainTextAsync(RegularChild);
        await supervisor.GotoAsync($"/operations/audit?trackingId={entry.GetProperty("trackingId").GetString()}");
        await Assertions.Expect(supervisor.Locator("#audit-entries tr", new() { HasText = "ContentOpened" })).ToContainTextAsync("MARP panel preparation, case conference 12");
    }

    [Fact]
    public async Task Should_let_an_admin_issue_an_agency_key_that_is_shown_once_and_replaces_the_old_one()
    {
        var page = await _b.SignInAsync("admin");
        await page.GetByRole(AriaRole.Link, new() { Name = "Agency keys" }).ClickAsync();
        await Assertions.Expect(page.Locator("#agency-keys tr", new() { HasText = "yot" })).ToContainTextAsync("configured");
        await AssertAccessibleAsync(page, "agency keys");
        await BrowserHub.ScreenshotAsync(page, "agency-keys");

        await page.GetByRole(AriaRole.Button, new() { Name = "Issue a new key for yot" }).ClickAsync();
        await Assertions.Expect(page.Locator("#reason-yot-error")).ToContainTextAsync("Say why");
        await AssertAccessibleAsync(page, "agency keys, no reason");

        await page.GetByLabel("Why issue a new key for yot?").FillAsync("YOT case system replaced; old key retired");
        await page.GetByRole(AriaRole.Button, new() { Name = "Issue a new key for yot" }).ClickAsync();
        var key = (await page.Locator("#new-key").InnerTextAsync()).Trim();
        Assert.StartsWith("yot-", key);
        await AssertAccessibleAsync(page, "new key");

        using var fresh = new HttpClient { BaseAddress = new Uri(_b.BaseUrl) };
        fresh.DefaultRequestHeaders.Add("X-Api-Key", key);
        using (var works = await fresh.GetAsync($"/api/v1/decisions/{Guid.NewGuid()}")) Assert.Equal(HttpStatusCode.NotFound, works.StatusCode);
        using (var old = await _b.ClientFor("yot").GetAsync($"/api/v1/decisions/{Guid.NewGuid()}")) Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);

        // Shown once: the list shows only a hash prefix.
        await page.GotoAsync("/operations/agencies");
        Assert.DoesNotContain(key, await page.ContentAsync());
        await Assertions.Expect(page.Locator("#agency-keys tr", new() { HasText = "yot" })).ToContainTextAsync("issued");
        await page.GotoAsync("/operations/audit");
        await Assertions.Expect(page.Locator("#audit-entries tr", new() { HasText = "AgencyKeyIssued" })).ToContainTextAsync("YOT case system replaced; old key retired");

        // The screenshot for the documentation, with the (throwaway) key masked.
        await page.GotoAsync("/operations/agencies");
        await page.GetByLabel("Why issue a new key for health?").FillAsync("Screenshot for the documentation");
        await page.GetByRole(AriaRole.Button, new() { Name = "Issue a new key for health" }).ClickAsync();
        await page.Locator("#new-key").EvaluateAsync("e => e.textContent = 'health-' + '•'.repeat(48)");
        await BrowserHub.ScreenshotAsync(page, "agency-key-issued");
    }
}
