using System.Net;

namespace AuthPlatform.Portal.Tests;

/// <summary>
/// Whatever a browser sends, it gets a page with a sentence: never a stack trace, never problem+json, never a 500.
/// The API's paths stay the API's (the portal behind "/" shadows none of them).
/// </summary>
public sealed class ErrorPageTests(PortalPlatform platform, BrowserFixture browser)
{
    [Theory]
    [InlineData("/verify-email?token=%3Cscript%3Ealert(1)%3C%2Fscript%3E", 400, "This link is invalid or has expired")]
    [InlineData("/verify-email", 400, "This link is invalid or has expired")]
    [InlineData("/reset-password?token=" + "not-a-token!", 400, "This link is invalid or has expired")]
    [InlineData("/no-such-page", 404, "Page not found")]
    [InlineData("/sign-in/two-factor", 200, "Sign in")]
    public async Task Odd_addresses_get_a_page_that_says_what_happened(string path, int status, string heading)
    {
        await using var visit = await BrowserVisit.StartAsync(platform, browser);

        var response = await visit.GotoAsync(path);

        response!.Status.ShouldBe(status);
        response.Headers["content-type"].ShouldStartWith("text/html");
        await visit.ExpectHeadingAsync(heading);
        (await response.TextAsync()).ShouldNotContain("<script>alert");
        await visit.StepAsync("page");
    }

    [Fact]
    public async Task Malformed_and_oversized_forms_get_a_page_with_a_message()
    {
        await using var visit = await BrowserVisit.StartAsync(platform, browser);
        await visit.GotoAsync("/sign-in");
        var csrf = await visit.Page.Locator("input[name=__csrf]").First.GetAttributeAsync("value");

        foreach (var (fields, expected) in new (Dictionary<string, string> Fields, string Expected)[]
        {
            (new() { ["email"] = "", ["password"] = "" }, "Enter your email address."),
            (new() { ["email"] = "x@example.test", ["password"] = new string('p', 5000) }, "That password is too long."),
            (new() { ["email"] = new string('e', 40_000), ["password"] = "whatever" }, "too long"),
            (new() { ["email"] = "\u0000\u0001@@", ["password"] = "\u0000" }, "could not be sent|do not match|not valid"),
        })
        {
            var form = visit.Context.APIRequest.CreateFormData();
            form.Set("__csrf", csrf!);
            foreach (var (name, value) in fields)
            {
                form.Set(name, value);
            }
            var response = await visit.Page.APIRequest.PostAsync("/sign-in", new() { Form = form, MaxRedirects = 0 });
            var text = await response.TextAsync();
            response.Status.ShouldBeInRange(400, 499, text[..Math.Min(200, text.Length)]);
            response.Headers["content-type"].ShouldStartWith("text/html");
            text.ShouldMatch("(?i)" + expected);
            text.ShouldNotContain("Something went wrong");
        }
    }

    [Fact]
    public async Task A_wrong_method_or_media_type_is_a_page_too()
    {
        await using var visit = await BrowserVisit.StartAsync(platform, browser);

        var json = await visit.Page.APIRequest.PostAsync("/sign-in", new() { DataObject = new { email = "a@b.c" }, MaxRedirects = 0 });
        json.Status.ShouldBe((int)HttpStatusCode.BadRequest);
        json.Headers["content-type"].ShouldStartWith("text/html");
        var put = await visit.Page.APIRequest.PutAsync("/sign-up", new() { MaxRedirects = 0 });
        put.Status.ShouldBeInRange(400, 499);
        put.Headers["content-type"].ShouldStartWith("text/html");
    }

    [Theory]
    [InlineData("/api/nothing-here")]
    [InlineData("/openapi/nothing.json")]
    [InlineData("/internal/anything")]
    public async Task Unknown_api_paths_stay_the_gateways_not_found(string path)
    {
        using var response = await platform.Gateway.GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType?.MediaType.ShouldNotBe("text/html");
        response.Headers.Contains("X-Served-By").ShouldBeFalse();
    }

    [Fact]
    public async Task The_apis_keep_their_paths_beside_the_portal()
    {
        using var jwks = await platform.Gateway.GetAsync("/.well-known/jwks.json");
        jwks.StatusCode.ShouldBe(HttpStatusCode.OK);
        jwks.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        using var signIn = await platform.Gateway.PostAsJsonAsync("/api/sessions", new { email = "nobody@example.test", password = "not a password" });
        signIn.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        signIn.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        using var home = await platform.Gateway.GetAsync("/");
        home.StatusCode.ShouldBe(HttpStatusCode.OK);
        home.Content.Headers.ContentType?.MediaType.ShouldBe("text/html");
    }
}
