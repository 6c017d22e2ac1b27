using System.Net;
using System.Net.Http.Headers;

namespace AuthPlatform.Account.Tests;

public sealed class SignUpFlowTests(AccountPlatform platform)
{
    private readonly AccountClient _accounts = new(platform);

    [Fact]
    public async Task Sign_up_press_verify_in_the_real_email_sign_in_and_read_the_profile()
    {
        var email = PlatformFixture.NewEmail("flow");

        using var signUp = await _accounts.SignUpAsync("  " + email.Replace("example.test", "EXAMPLE.test") + " ");
        signUp.StatusCode.ShouldBe(HttpStatusCode.Accepted);

        // The email is real: an HTML part with a "Verify email" button and a plain-text part with the same link.
        var message = await platform.Mailbox.WaitForAsync(email, "Verify your email");
        message.Html.ShouldContain("Verify email");
        var link = message.LinkStartingWith(platform.Fleet.PublicBaseUrl + "/verify-email?token=");
        message.Html.ShouldContain(System.Net.WebUtility.HtmlEncode(link));

        // Not verified yet: sign-in says so with its own problem type, so a client can offer "resend".
        using var early = await _accounts.SignInAsync(email);
        early.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await AccountClient.JsonAsync(early)).GetProperty("type").GetString()!.ShouldEndWith("email-not-verified");

        // The link opens the portal's page with the Verify email button (Portal.Tests presses it in a browser).
        using var page = await platform.Gateway.GetAsync(new Uri(link).PathAndQuery);
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).ShouldContain("Verify email");
        using var verified = await _accounts.PressVerifyInEmailAsync(email);
        verified.StatusCode.ShouldBe(HttpStatusCode.OK);

        var tokens = await _accounts.SignInVerifiedAsync(email);
        tokens.TokenType.ShouldBe("Bearer");
        tokens.ExpiresIn.ShouldBe(900);

        using var me = await _accounts.GetProfileAsync(tokens.AccessToken);
        me.StatusCode.ShouldBe(HttpStatusCode.OK);
        var profile = await AccountClient.JsonAsync(me);
        profile.GetProperty("email").GetString().ShouldBe(email);
        profile.GetProperty("emailVerified").GetBoolean().ShouldBeTrue();
        profile.GetProperty("mfa").GetProperty("enabled").GetBoolean().ShouldBeFalse();
        Guid.TryParse(profile.GetProperty("id").GetString(), out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Opening_the_link_without_pressing_the_button_verifies_nobody()
    {
        var email = PlatformFixture.NewEmail("prefetch");
        (await _accounts.SignUpAsync(email)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var link = new Uri((await platform.Mailbox.WaitForAsync(email, "Verify your email"))
            .LinkStartingWith(platform.Fleet.PublicBaseUrl + "/verify-email?token="));

        // What a mail scanner does: GET the link, more than once.
        for (var i = 0; i < 3; i++)
        {
            using var page = await platform.Gateway.GetAsync(link.PathAndQuery);
            page.StatusCode.ShouldBe(HttpStatusCode.OK);
            var html = await page.Content.ReadAsStringAsync();
            html.ShouldContain("<button type=\"submit\">Verify email</button>");
            page.Headers.GetValues("Referrer-Policy").Single().ShouldBe("no-referrer");
        }
        await Task.Delay(1000);

        using var signIn = await _accounts.SignInAsync(email);
        signIn.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Resend_sends_a_fresh_email_at_most_once_a_minute_and_always_answers_202()
    {
        var email = PlatformFixture.NewEmail("resend");
        (await _accounts.SignUpAsync(email)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await platform.Mailbox.WaitForAsync(email, "Verify your email");

        for (var i = 0; i < 3; i++)
        {
            using var resend = await platform.Gateway.PostAsJsonAsync("/api/verification/email/resend", new { email });
            resend.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }
        using var unknown = await platform.Gateway.PostAsJsonAsync("/api/verification/email/resend", new { email = PlatformFixture.NewEmail("nobody") });
        unknown.StatusCode.ShouldBe(HttpStatusCode.Accepted);

        await platform.Mailbox.WaitForAsync(email, "Verify your email", count: 2);
        await Task.Delay(2000);
        (await platform.Mailbox.AllToAsync(email)).Count.ShouldBe(2, "three resends within a minute send one email");

        // The newest link works.
        (await _accounts.PressVerifyInEmailAsync(email, emailNumber: 2)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await _accounts.SignInVerifiedAsync(email);
    }

    [Fact]
    public async Task Profile_needs_a_valid_access_token()
    {
        using var anonymous = await platform.Gateway.GetAsync("/api/accounts/me");
        anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        using var garbage = new HttpRequestMessage(HttpMethod.Get, "/api/accounts/me");
        garbage.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-jwt");
        (await platform.Gateway.SendAsync(garbage)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
