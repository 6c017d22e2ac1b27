using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;

namespace AuthPlatform.Portal.Tests;

/// <summary>
/// One person's browser for one test: a fresh context (no cookies from other tests) on the gateway's public URL.
/// <see cref="StepAsync"/> records each step a person sees: a screenshot under artifacts/portal-screenshots/ and an
/// axe-core scan of the page, which must find no accessibility violations.
/// </summary>
public sealed partial class BrowserVisit : IAsyncDisposable
{
    private readonly string _screenshots;
    private int _step;

    private BrowserVisit(IBrowserContext context, IPage page, string screenshots)
    {
        Context = context;
        Page = page;
        _screenshots = screenshots;
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Where this visit's screenshots go (artifacts/portal-screenshots/&lt;test&gt;/).</summary>
    public string ScreenshotFolder => _screenshots;

    public static async Task<BrowserVisit> StartAsync(PortalPlatform platform, BrowserFixture browser, string? viewport = null)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = platform.Fleet.PublicBaseUrl,
            ViewportSize = viewport == "phone" ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1024, Height = 800 },
            Locale = "en-GB",
        });
        var page = await context.NewPageAsync();
        // Waits, not speed limits: with three platforms and Chromium on two cores a page can take seconds.
        page.SetDefaultTimeout(30_000);
        var test = TestContext.Current.Test?.TestDisplayName ?? "test";
        var folder = Path.Combine(platform.RepositoryRoot, "artifacts", "portal-screenshots", SafeName().Replace(test, "-").Trim('-'));
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
        Directory.CreateDirectory(folder);
        return new BrowserVisit(context, page, folder);
    }

    public async Task<IResponse?> GotoAsync(string pathOrUrl) => await Page.GotoAsync(pathOrUrl);

    /// <summary>A screenshot of the page as it is now, and an axe-core scan that must find nothing.</summary>
    public async Task<string> StepAsync(string name)
    {
        var file = Path.Combine(_screenshots, $"{++_step:00}-{name}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        var axe = await Page.RunAxe();
        var violations = axe.Violations.Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => n.Html))})").ToArray();
        violations.ShouldBeEmpty($"axe-core on {Page.Url} ({name})");
        return file;
    }

    /// <summary>Fills the sign-in form (on the page now, or opened first) and presses "Sign in".</summary>
    public async Task SubmitSignInAsync(string email, string password, bool open = true)
    {
        if (open)
        {
            await GotoAsync("/sign-in");
        }
        await Page.GetByLabel("Email address").FillAsync(email);
        await Page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).Last.ClickAsync();
    }

    /// <summary>Waits for the page whose h1 is <paramref name="heading"/>.</summary>
    public Task ExpectHeadingAsync(string heading) =>
        Page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 }).WaitForAsync();

    /// <summary>The text of the page's main landmark.</summary>
    public Task<string> MainTextAsync() => Page.Locator("main").InnerTextAsync();

    /// <summary>
    /// Closes the browser context. The page as it was at the end is kept as <c>last.png</c>: when a test fails, that
    /// is the page it failed on (the visit ends before the test's result is known, so it is taken every time).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(_screenshots, "last.png"), FullPage = true, Timeout = 5_000 });
        }
        catch (PlaywrightException)
        {
        }
        await Context.CloseAsync();
    }

    [GeneratedRegex("[^A-Za-z0-9_.-]+")]
    private static partial Regex SafeName();
}
