using System.Net;
using System.Text;

namespace AuthPlatform.Gateway.Tests;

public sealed class RateLimitTests(GatewayPlatform platform)
{
    [Fact]
    public async Task The_21st_password_reset_request_from_one_address_in_a_minute_gets_429_with_Retry_After()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 21; i++)
        {
            using var response = await platform.Gateway.PostAsync("/api/accounts/password-reset",
                new StringContent($$"""{"email":"limit-{{i}}@example.test"}""", Encoding.UTF8, "application/json"));
            statuses.Add(response.StatusCode);
            if (i == 20)
            {
                response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
                int.Parse(response.Headers.GetValues("Retry-After").Single()).ShouldBeInRange(1, 60);
            }
        }

        statuses.Take(20).ShouldAllBe(s => s == HttpStatusCode.Accepted);
        statuses[20].ShouldBe(HttpStatusCode.TooManyRequests);

        // The portal's forms that lead to a reset spend the same budget, and a browser is told so on a page.
        foreach (var form in new[] { "/forgot-password", "/reset-password" })
        {
            using var page = await PostFormAsync(form);
            page.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests, form);
            page.Content.Headers.ContentType?.MediaType.ShouldBe("text/html");
            (await page.Content.ReadAsStringAsync()).ShouldContain("Too many requests from your network. Try again in");
            int.Parse(page.Headers.GetValues("Retry-After").Single()).ShouldBeInRange(1, 60);
        }

        // Other endpoints have their own budgets: sign-in is not affected.
        using var signIn = await platform.Gateway.PostAsJsonAsync("/api/sessions", new { email = "nobody@example.test", password = "whatever it is" });
        signIn.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Email_resends_from_the_api_and_the_portal_share_one_budget_of_20_a_minute()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await platform.Gateway.PostAsync("/api/verification/email/resend",
                new StringContent($$"""{"email":"resend-{{i}}@example.test"}""", Encoding.UTF8, "application/json"));
            statuses.Add(response.StatusCode);
        }
        statuses.ShouldAllBe(s => s != HttpStatusCode.TooManyRequests);

        // The 21st, from the portal's "Resend the email" button: refused at the edge, as a page.
        using var page = await PostFormAsync("/verify-email/resend");
        page.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        page.Content.Headers.ContentType?.MediaType.ShouldBe("text/html");
        (await page.Content.ReadAsStringAsync()).ShouldContain("Too many requests from your network.");
        using var api = await platform.Gateway.PostAsync("/api/verification/email/resend",
            new StringContent("""{"email":"resend-last@example.test"}""", Encoding.UTF8, "application/json"));
        api.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        api.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
    }

    /// <summary>A form post as a browser sends it (the edge refuses before the portal would check its antiforgery token).</summary>
    private Task<HttpResponseMessage> PostFormAsync(string path) =>
        platform.Gateway.SendAsync(new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = "someone@example.test" }),
            Headers = { { "Accept", "text/html" } },
        });
}
