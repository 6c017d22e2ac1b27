using System.Net;
using System.Text.RegularExpressions;

namespace AuthPlatform.Portal.Tests;

/// <summary>
/// What the browser holds and what it may send: no token anywhere the browser can read, cookie flags, antiforgery,
/// strict headers, and the platform's throttles counting the browser's own address (which it cannot choose).
/// </summary>
public sealed partial class PortalSecurityTests(PortalPlatform platform, BrowserFixture browser)
{
    private readonly AccountClient _accounts = new(platform);

    [Fact]
    public async Task No_token_reaches_a_page_a_url_a_header_or_browser_storage()
    {
        var (email, _) = await _accounts.CreateVerifiedAccountAsync("portal-no-token");
        await using var visit = await BrowserVisit.StartAsync(platform, browser);
        // Bodies are asked for as each response comes (they are gone after the next navigation) and awaited afterwards:
        // blocking inside Playwright's event handler would stall its dispatcher.
        var responses = new List<(IResponse Response, Task<string> Body)>();
        visit.Page.Response += (_, response) => responses.Add((response,
            response.Request.ResourceType == "document" && response.Status is 200 or 400 ? response.TextAsync() : Task.FromResult("")));

        // And each page's body is read before the next navigation: under load, asking was not always enough (CI).
        Task BodiesReadAsync() => Task.WhenAll(responses.ToList().Select(r => r.Body));

        await visit.GotoAsync("/sign-in");
        await BodiesReadAsync();
        await visit.SubmitSignInAsync(email, AccountClient.GoodPassword, open: false);
        await visit.Page.WaitForURLAsync("**/account");
        await BodiesReadAsync();
        await visit.GotoAsync("/account");
        await BodiesReadAsync();
        await Task.Delay(TimeSpan.FromSeconds(3)); // past the session check: the next page rotates the tokens
        await visit.GotoAsync("/account");
        await visit.ExpectHeadingAsync("Your account");

        var seen = new List<string>();
        foreach (var (response, body) in responses.ToList())
        {
            seen.Add(response.Url);
            seen.AddRange(response.Headers.Select(h => $"{h.Key}: {h.Value}"));
            seen.Add(await body);
        }
        responses.Count(r => r.Body.Result.Contains("<h1>Your account</h1>")).ShouldBeGreaterThanOrEqualTo(2);
        foreach (var text in seen)
        {
            Jwt().IsMatch(text).ShouldBeFalse($"a JWT in: {text[..Math.Min(text.Length, 200)]}");
            text.ShouldNotContain("refreshToken");
            text.ShouldNotContain("accessToken");
            text.ShouldNotContain("mfaToken");
        }
        (await visit.Page.EvaluateAsync<string>("document.cookie")).ShouldBeEmpty("every cookie is HttpOnly");
        (await visit.Page.EvaluateAsync<int>("localStorage.length + sessionStorage.length")).ShouldBe(0);
        foreach (var cookie in await visit.Context.CookiesAsync())
        {
            Jwt().IsMatch(cookie.Value).ShouldBeFalse($"{cookie.Name} holds a readable token");
        }
    }

    [Fact]
    public async Task The_cookies_are_HttpOnly_and_SameSite_Lax_and_the_pages_forbid_framing_and_inline_code()
    {
        var (email, _) = await _accounts.CreateVerifiedAccountAsync("portal-cookies");
        await using var visit = await BrowserVisit.StartAsync(platform, browser);

        var page = await visit.GotoAsync("/sign-in");
        var csp = (await page!.AllHeadersAsync())["content-security-policy"];
        csp.ShouldContain("frame-ancestors 'none'");
        csp.ShouldNotContain("unsafe-inline");
        csp.ShouldNotContain("unsafe-eval");
        await visit.SubmitSignInAsync(email, AccountClient.GoodPassword, open: false);
        await visit.Page.WaitForURLAsync("**/account");

        var cookies = await visit.Context.CookiesAsync();
        cookies.Select(c => c.Name).ShouldContain("portal.session");
        cookies.Select(c => c.Name).ShouldContain("portal.device");
        // Kept as long as the API says the device token lives (deviceTokenExpiresAt: 180 days).
        DateTimeOffset.FromUnixTimeSeconds((long)cookies.Single(c => c.Name == "portal.device").Expires)
            .ShouldBe(DateTimeOffset.UtcNow.AddDays(180), TimeSpan.FromHours(1));
        foreach (var cookie in cookies)
        {
            cookie.HttpOnly.ShouldBeTrue(cookie.Name);
            cookie.SameSite.ShouldBe(SameSiteAttribute.Lax, cookie.Name);
            cookie.Path.ShouldBe("/", cookie.Name);
            // PublicBaseUrl is http://localhost here; outside loopback they are Secure (the next test).
            cookie.Secure.ShouldBeFalse(cookie.Name);
        }
    }

    [Fact]
    public async Task Outside_loopback_every_cookie_is_Secure()
    {
        var (email, _) = await _accounts.CreateVerifiedAccountAsync("portal-secure-cookie");
        var portal = platform.Fleet.StartAdditional("portal", new Dictionary<string, string?> { ["PublicBaseUrl"] = "https://auth.example.test" });
        await ServiceFleet.WaitHealthyAsync(portal);
        // Cookies by hand: a cookie container keeps Secure cookies away from this plain-http hop.
        using var handler = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = portal.BaseAddress };
        // As from a gateway behind TLS termination: the portal's own hop is plain http.
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        using var form = await client.GetAsync("/sign-in");
        var csrf = AntiforgeryField().Match(await form.Content.ReadAsStringAsync()).Groups[1].Value;
        using var post = new HttpRequestMessage(HttpMethod.Post, "/sign-in")
        {
            Content = new FormUrlEncodedContent([new("email", email), new("password", AccountClient.GoodPassword), new("__csrf", csrf)]),
        };
        post.Headers.Add("Cookie", string.Join("; ", form.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])));
        using var signIn = await client.SendAsync(post);

        signIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var setCookies = form.Headers.GetValues("Set-Cookie").Concat(signIn.Headers.GetValues("Set-Cookie")).ToList();
        setCookies.ShouldContain(c => c.StartsWith("portal.session="));
        foreach (var setCookie in setCookies)
        {
            setCookie.ToLowerInvariant().ShouldContain("; secure", customMessage: setCookie);
            setCookie.ToLowerInvariant().ShouldContain("; httponly", customMessage: setCookie);
            setCookie.ToLowerInvariant().ShouldContain("; samesite=lax", customMessage: setCookie);
        }
    }

    [Fact]
    public async Task A_form_posted_without_its_antiforgery_token_is_refused_with_a_page()
    {
        var (email, _) = await _accounts.CreateVerifiedAccountAsync("portal-csrf");
        await using var visit = await BrowserVisit.StartAsync(platform, browser);
        await visit.GotoAsync("/sign-in");

        // A forged cross-site form: the browser sends the cookies, but the page's token is not known to the forger.
        var response = await visit.Page.APIRequest.PostAsync("/sign-in", new()
        {
            Form = visit.Context.APIRequest.CreateFormData().Set("email", email).Set("password", AccountClient.GoodPassword),
            MaxRedirects = 0,
        });

        response.Status.ShouldBe((int)HttpStatusCode.BadRequest);
        response.Headers["content-type"].ShouldStartWith("text/html");
        (await response.TextAsync()).ShouldContain("This form could not be sent");
        (await visit.Context.CookiesAsync()).Select(c => c.Name).ShouldNotContain("portal.session");
    }

    [Fact]
    public async Task Failed_sign_ins_through_the_portal_and_the_api_count_together_and_lock_alike()
    {
        var (email, _) = await _accounts.CreateVerifiedAccountAsync("portal-lockout");
        await using var visit = await BrowserVisit.StartAsync(platform, browser);

        for (var i = 0; i < 5; i++)
        {
            (await _accounts.SignInAsync(email, "wrong password " + i)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
        for (var i = 0; i < 5; i++)
        {
            await visit.SubmitSignInAsync(email, "wrong password again " + i);
            await visit.Page.GetByText("That email and password do not match an account.").WaitForAsync();
        }

        // The 11th try from this network, even with the right password: locked, in the API and on the page alike.
        using var api = await _accounts.SignInAsync(email);
        api.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        var retryAfter = api.Headers.RetryAfter!.Delta!.Value;
        await visit.SubmitSignInAsync(email, AccountClient.GoodPassword);
        var alert = await visit.Page.GetByRole(AriaRole.Alert).InnerTextAsync();
        alert.ShouldMatch(@"^Too many attempts\. For your security this is locked; try again in \d+ minutes\.$");
        int.Parse(Regex.Match(alert, @"\d+").Value).ShouldBeInRange((int)Math.Ceiling(retryAfter.TotalMinutes) - 1, (int)Math.Ceiling(retryAfter.TotalMinutes));
        await visit.StepAsync("sign-in-locked");
        visit.Page.Url.ShouldEndWith("/sign-in");
    }

    [Fact]
    public async Task A_browser_cannot_choose_the_address_the_throttles_count()
    {
        var (email, _) = await _accounts.CreateVerifiedAccountAsync("portal-spoof");
        await using var visit = await BrowserVisit.StartAsync(platform, browser);

        // Each guess claims another address; were it believed, no network would ever reach the lock.
        for (var i = 0; i < 10; i++)
        {
            await visit.Context.SetExtraHTTPHeadersAsync(new Dictionary<string, string> { ["X-Forwarded-For"] = $"203.0.113.{i + 1}" });
            await visit.SubmitSignInAsync(email, "a guessed password " + i);
            await visit.Page.GetByText("That email and password do not match an account.").WaitForAsync();
        }
        await visit.Context.SetExtraHTTPHeadersAsync(new Dictionary<string, string> { ["X-Forwarded-For"] = "198.51.100.7" });
        await visit.SubmitSignInAsync(email, AccountClient.GoodPassword);

        (await visit.Page.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldStartWith("Too many attempts.");
        (await _accounts.SignInAsync(email)).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests, "the real address is the one locked");
    }

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}")]
    private static partial Regex Jwt();

    [GeneratedRegex("name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
