using System.Net;
using System.Text.RegularExpressions;
using IntegrationHub.Routing.Failures;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using IntegrationHub.Tests;
using Microsoft.Playwright;

namespace IntegrationHub.Console.Tests;

/// <summary>
/// The real hub listening on a free loopback port (a browser cannot reach WebApplicationFactory's TestServer), and
/// Debian's chromium driven by Playwright. No browser is ever downloaded.
/// </summary>
public sealed class BrowserHub : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    public HubFactory Hub { get; } = new(new Dictionary<string, string?> { ["Hub:Operations:RefreshSeconds"] = "1" });
    public string BaseUrl { get; private set; } = "";
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public static string Output { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    public RoutingFaultSwitch Faults => Hub.Services.GetRequiredService<RoutingFaultSwitch>();

    public async Task InitializeAsync()
    {
        Hub.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        Hub.StartServer();
        BaseUrl = Hub.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        if (!File.Exists(Chromium)) throw new InvalidOperationException($"{Chromium} is missing: apt-get install -y chromium (scripts/test.sh does).");
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public HttpClient ClientFor(string agencyOrOperations)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        client.DefaultRequestHeaders.Add("X-Api-Key", agencyOrOperations == "operations" ? HubFactory.OperationsKey : HubFactory.KeyFor(agencyOrOperations));
        return client;
    }

    /// <summary>A fresh browser context signed in as a console user (generated embedded-mode password).</summary>
    public async Task<IPage> SignInAsync(string user)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/operations/login");
        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByLabel("Password").FillAsync(File.ReadAllText(Path.Combine(Hub.DataDirectory, "keys", $"console-{user}.password")).Trim());
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // Generous: the first page of a run also waits for the JIT, and CI shares two cores with other test hosts.
        // Not WaitForURLAsync: when the address already matches it waits for the load event, and it can miss one that
        // arrives between its check and its subscription (playwright-dotnet#3364; CI timed out here after 90 s with
        // the page loaded). The assertion polls the address instead, and the page's own locators wait for content.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/operations/flow$"), new() { Timeout = 90_000 });
        await page.Locator("#main-content").WaitForAsync(new() { Timeout = 90_000 });
        return page;
    }

    /// <summary>Saves a full-page screenshot as test output, and into docs/operations when UPDATE_SCREENSHOTS=1.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Output, name + ".png"), FullPage = true });
        if (Environment.GetEnvironmentVariable("UPDATE_SCREENSHOTS") == "1")
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "IntegrationHub.sln"))) dir = dir.Parent;
            if (dir is not null) File.Copy(Path.Combine(Output, name + ".png"), Path.Combine(Directory.CreateDirectory(Path.Combine(dir.FullName, "docs", "operations")).FullName, name + ".png"), true);
        }
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        Playwright?.Dispose();
        await Hub.DisposeAsync();
    }
}
