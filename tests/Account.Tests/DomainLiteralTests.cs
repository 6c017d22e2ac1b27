using System.Net;

namespace AuthPlatform.Account.Tests;

// An address at an IP literal (user@[10.0.0.5]) would make the platform send mail, links included, to any host,
// internal ones too. Sign-up and password reset refuse it with a 400 problem+json.
public sealed class DomainLiteralTests(AccountPlatform platform)
{
    private readonly AccountClient _accounts = new(platform);

    [Theory]
    [InlineData("victim@[10.0.0.5]")]
    [InlineData("victim@[IPv6:2001:db8::1]")]
    [InlineData("victim@127.0.0.1")]
    public async Task Sign_up_and_password_reset_refuse_addresses_at_an_ip(string email)
    {
        using var signUp = await _accounts.SignUpAsync(email);
        using var reset = await platform.Gateway.PostAsJsonAsync("/api/accounts/password-reset", new { email });

        foreach (var response in new[] { signUp, reset })
        {
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
            (await AccountClient.JsonAsync(response)).GetProperty("detail").GetString().ShouldBe("The email address is not valid.");
        }
    }

    [Fact]
    public async Task An_ordinary_address_still_signs_up()
    {
        using var signUp = await _accounts.SignUpAsync(PlatformFixture.NewEmail("literal-honest"));

        signUp.StatusCode.ShouldBe(HttpStatusCode.Accepted);
    }
}
