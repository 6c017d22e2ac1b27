using System.Net;
using System.Text;

namespace AuthPlatform.Account.Tests;

/// <summary>Every malformed, oversized, missing or hostile input gets a clear 4xx problem+json; never a 500.</summary>
public sealed class BadInputTests(AccountPlatform platform)
{
    public static TheoryData<string, string> BadSignUps => new()
    {
        { "missing password", """{"email":"a@example.test"}""" },
        { "missing email", """{"password":"a fine long password"}""" },
        { "extra field", """{"email":"a@example.test","password":"a fine long password","isAdmin":true}""" },
        { "invalid JSON", """{"email":"a@example.test","password":""" },
        { "not an object", "[1,2,3]" },
        { "null email", """{"email":null,"password":"a fine long password"}""" },
        { "wrong types", """{"email":42,"password":true}""" },
        { "10,000-character email", $$"""{"email":"{{new string('a', 10_000)}}@example.test","password":"a fine long password"}""" },
        { "control characters in email", """{"email":"a\u0000b@example.test","password":"a fine long password"}""" },
        { "newline in email", """{"email":"a@example.test\r\nBcc: x@evil.test","password":"a fine long password"}""" },
        { "no @", """{"email":"not-an-email","password":"a fine long password"}""" },
        { "empty password", """{"email":"a@example.test","password":""}""" },
        { "11-character password", """{"email":"a@example.test","password":"abcdefghijk"}""" },
        { "129-character password", $$"""{"email":"a@example.test","password":"{{new string('x', 129)}}"}""" },
        { "common password", """{"email":"a@example.test","password":"password123"}""" },
        { "empty body", "" },
    };

    [Theory]
    [MemberData(nameof(BadSignUps))]
    public async Task Sign_up_refuses_bad_input_with_a_clear_400(string why, string body)
    {
        using var response = await platform.Gateway.PostAsync("/api/accounts", new StringContent(body, Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, why);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", why);
        var problem = await AccountClient.JsonAsync(response);
        problem.GetProperty("title").GetString().ShouldNotBeNullOrWhiteSpace();
        problem.GetProperty("detail").GetString().ShouldNotBeNullOrWhiteSpace();
    }

    [Theory]
    [InlineData("/api/accounts")]
    [InlineData("/api/sessions")]
    [InlineData("/api/sessions/refresh")]
    [InlineData("/api/accounts/password-reset")]
    [InlineData("/api/accounts/password-reset/confirm")]
    [InlineData("/api/verification/email/confirm")]
    [InlineData("/api/verification/email/resend")]
    public async Task A_wrong_content_type_gets_415_and_garbage_JSON_400(string path)
    {
        using var plain = await platform.Gateway.PostAsync(path, new StringContent("email=a@example.test", Encoding.UTF8, "text/plain"));
        plain.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        plain.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");

        using var garbage = await platform.Gateway.PostAsync(path, new StringContent("{\"", Encoding.UTF8, "application/json"));
        garbage.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        garbage.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
    }

    [Theory]
    [InlineData("""{"email":"a@example.test"}""")]
    [InlineData("""{"email":"","password":"x"}""")]
    [InlineData("""{"email":"a@example.test","password":"x","remember":true}""")]
    public async Task Sign_in_refuses_bad_input_with_a_clear_400(string body)
    {
        using var response = await platform.Gateway.PostAsync("/api/sessions", new StringContent(body, Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
    }

    [Theory]
    [InlineData("/api/verification/email/confirm", """{"token":"<script>alert(1)</script>"}""")]
    [InlineData("/api/verification/email/confirm", """{"token":""}""")]
    [InlineData("/api/sessions/refresh", """{"refreshToken":"' OR 1=1 --"}""")]
    [InlineData("/api/accounts/password-reset/confirm", """{"token":"x","newPassword":"a fine long password"}""")]
    public async Task Hostile_or_unknown_tokens_get_a_4xx(string path, string body)
    {
        using var response = await platform.Gateway.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

        ((int)response.StatusCode).ShouldBeInRange(400, 401);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task The_verify_page_refuses_a_malformed_token_without_echoing_it()
    {
        using var response = await platform.Gateway.GetAsync("/verify-email?token=%3Cscript%3Ealert(1)%3C%2Fscript%3E");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("<script>");
    }
}
