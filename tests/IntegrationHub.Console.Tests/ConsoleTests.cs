using System.Net.Http.Json;
using System.Text.Json;
using Deque.AxeCore.Playwright;
using IntegrationHub.Contracts;
using IntegrationHub.Tests;
using Microsoft.Playwright;

namespace IntegrationHub.Console.Tests;

[Trait("Category", "Browser")]
public sealed class When_operations_staff_use_the_console : IClassFixture<BrowserHub>
{
    private static readonly string[] Identifiers =
        [TestConcerns.NhsNumber, TestConcerns.ChildGivenName, TestConcerns.ChildFamilyName, "SN1 2AB", "2012-03-04", "unknown adults", "PC Example"];

    private readonly BrowserHub _b;

    public When_operations_staff_use_the_console(BrowserHub browser) => _b = browser;

    private static async Task AssertNoIdentifiersAsync(IPage page)
    {
        var html = await page.ContentAsync();
        foreach (var identifier in Identifiers) Assert.DoesNotContain(identifier, html);
    }

    private async Task<Guid> PostConcernAsync(bool immediateRisk = false)
    {
        using var content = new StringContent(TestConcerns.PoliceConcern(immediateRisk), System.Text.Encoding.UTF8, "application/json");
        using var response = await _b.ClientFor("police").PostAsync("/api/v1/concerns", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("trackingId").GetGuid();
    }

    private async Task WaitForDeliveryAsync(Guid trackingId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await _b.ClientFor("police").GetFromJsonAsync<JsonElement>($"/api/v1/decisions/{trackingId}", ContractJson.Options);
            if (last.GetProperty("status").GetString() == "Decided" && last.GetProperty("deliveries").EnumerateArray()
                    .All(d => d.TryGetProperty("sentAt", out var s) && s.ValueKind != JsonValueKind.Null)) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"{trackingId} was not delivered in time: {last}");
    }

    private static async Task AssertAccessibleAsync(IPage page, string name)
    {
        var result = await page.RunAxe();
        var bad = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(bad.Count == 0, $"{name}: " + string.Join("; ", bad.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
    }

    [Fact]
    public async Task Should_show_a_concern_posted_during_the_test_on_the_flow_page_without_a_reload()
    {
        var page = await _b.SignInAsync("operator");
        var navigations = 0;
        page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) navigations++; };

        var trackingId = await PostConcernAsync();
        await page.Locator("#latest-messages").GetByText(trackingId.ToString()).WaitForAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("#latest-messages tr", new() { HasText = trackingId.ToString() })).ToContainTextAsync("Delivered", new() { Timeout = 20_000 });

        Assert.Equal(0, navigations);
        await AssertNoIdentifiersAsync(page);
        await BrowserHub.ScreenshotAsync(page, "flow");
    }

    [Fact]
    public async Task Should_deliver_a_failure_retried_from_the_failures_page()
    {
        _b.Faults.Override = true;
        Guid trackingId;
        try
        {
            trackingId = await PostConcernAsync();
            var page = await _b.SignInAsync("operator");
            await page.GotoAsync("/operations/failures");
            var retry = page.Locator("tr", new() { HasText = trackingId.ToString() }).GetByRole(AriaRole.Button, new() { Name = "Retry" });
            for (var i = 0; i < 100 && await retry.CountAsync() == 0; i++)
            {
                await Task.Delay(200);
                await page.ReloadAsync();
            }
            await AssertNoIdentifiersAsync(page);
            await AssertAccessibleAsync(page, "failures");
            await BrowserHub.ScreenshotAsync(page, "failures");

            _b.Faults.Override = false;
            await retry.ClickAsync();
            await Assertions.Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync("Retried");
            await WaitForDeliveryAsync(trackingId);

            await page.GotoAsync($"/operations/audit?trackingId={trackingId}");
            var audit = page.Locator("#audit-entries");
            await Assertions.Expect(audit).ToContainTextAsync("RoutingFailed");
            await Assertions.Expect(audit).ToContainTextAsync("FailureRetried");
            await Assertions.Expect(audit).ToContainTextAsync("Delivered");
        }
        finally
        {
            _b.Faults.Override = null;
        }
    }

    [Fact]
    public async Task Should_not_let_an_operator_open_content()
    {
        var trackingId = await PostConcernAsync();
        await WaitForDeliveryAsync(trackingId);
        var page = await _b.SignInAsync("operator");
        await page.GotoAsync($"/operations/messages/{trackingId}");
        await Assertions.Expect(page.Locator("#content-not-allowed")).ToBeVisibleAsync();
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Open content" }).CountAsync());
        await AssertNoIdentifiersAsync(page);
        await BrowserHub.ScreenshotAsync(page, "message-operator");
    }

    [Fact]
    public async Task Should_let_a_supervisor_open_content_only_after_giving_a_reason_and_audit_it()
    {
        var trackingId = await PostConcernAsync();
        await WaitForDeliveryAsync(trackingId);
        var page = await _b.SignInAsync("supervisor");
        await page.GotoAsync($"/operations/messages/{trackingId}");
        await AssertNoIdentifiersAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Open content" }).ClickAsync();
        await Assertions.Expect(page.Locator("#reason-error")).ToBeVisibleAsync();
        await AssertNoIdentifiersAsync(page);

        await page.GetByLabel("Why do you need to open this record?").FillAsync("Strategy discussion request S-42");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open content" }).ClickAsync();
        await Assertions.Expect(page.Locator("#message-content")).ToContainTextAsync(TestConcerns.NhsNumber);
        await AssertAccessibleAsync(page, "content");
        await BrowserHub.ScreenshotAsync(page, "content-opened");

        await page.GotoAsync($"/operations/audit?trackingId={trackingId}");
        var opened = page.Locator("#audit-entries tr", new() { HasText = "ContentOpened" });
        await Assertions.Expect(opened).ToContainTextAsync("supervisor (supervisor)");
        await Assertions.Expect(opened).ToContainTextAsync("Strategy discussion request S-42");
        await BrowserHub.ScreenshotAsync(page, "audit");
    }

    [Fact]
    public async Task Should_have_no_serious_accessibility_violations_and_no_identifiers_on_any_page()
    {
        var trackingId = await PostConcernAsync(immediateRisk: true);
        await WaitForDeliveryAsync(trackingId);
        var context = await _b.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _b.BaseUrl });
        var login = await context.NewPageAsync();
        await login.GotoAsync("/operations/login");
        await AssertAccessibleAsync(login, "login");
        await BrowserHub.ScreenshotAsync(login, "login");

        var page = await _b.SignInAsync("operator");
        foreach (var (path, name) in new[]
                 {
                     ("/operations/flow", "flow-page"), ("/operations/queues", "queues"), ("/operations/failures", "failures-page"),
                     ("/operations/deadlines", "deadlines"), ("/operations/audit", "audit-latest"), ($"/operations/audit?trackingId={trackingId}", "audit-message"),
                     ("/operations/insights", "patterns-page"), ("/operations/marp-review", "marp-review-page"), ($"/operations/messages/{trackingId}", "message"),
                 })
        {
            await page.GotoAsync(path);
            await AssertAccessibleAsync(page, path);
            await AssertNoIdentifiersAsync(page);
            if (name is "queues" or "deadlines") await BrowserHub.ScreenshotAsync(page, name);
        }

        await page.GotoAsync("/operations/audit");
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify the hash chain" }).ClickAsync();
        await Assertions.Expect(page.Locator(".govuk-notification-banner")).ToContainTextAsync("Audit chain intact");
        await AssertAccessibleAsync(page, "audit verify");
        await BrowserHub.ScreenshotAsync(page, "audit-verify");
    }
}
