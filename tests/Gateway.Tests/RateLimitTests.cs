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

        // Other endpoints have their own budgets: sign-in is not affected.
        using var signIn = await platform.Gateway.PostAsJsonAsync("/api/sessions", new { email = "nobody@example.test", password = "whatever it is" });
        signIn.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
