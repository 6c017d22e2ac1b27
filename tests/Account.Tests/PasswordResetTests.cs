using System.Net;

namespace AuthPlatform.Account.Tests;

public sealed class PasswordResetTests(PlatformFixture platform)
{
    private readonly AccountClient _accounts = new(platform);

    [Fact]
    public async Task Reset_by_email_link_sets_the_new_password_signs_out_everywhere_and_tells_the_owner()
    {
        var (email, tokens) = await _accounts.CreateVerifiedAccountAsync("reset");

        (await platform.Gateway.PostAsJsonAsync("/api/accounts/password-reset", new { email })).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var message = await platform.Mailbox.WaitForAsync(email, "Reset your AuthPlatform password");
        var link = new Uri(message.LinkStartingWith(platform.Fleet.PublicBaseUrl + "/reset-password?token="));
        message.Html.ShouldContain("Reset password");

        // The link opens a form; GET changes nothing.
        using var page = await platform.Gateway.GetAsync(link.PathAndQuery);
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).ShouldContain("name=\"newPassword\"");
        var token = Uri.UnescapeDataString(link.Query["?token=".Length..]);

        // A weak choice is refused without spending the link.
        using var weak = await platform.Gateway.PostAsJsonAsync("/api/accounts/password-reset/confirm", new { token, newPassword = "password" });
        weak.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        const string newPassword = "a brand new passphrase";
        using var confirm = await platform.Gateway.PostAsJsonAsync("/api/accounts/password-reset/confirm", new { token, newPassword });
        confirm.StatusCode.ShouldBe(HttpStatusCode.OK);

        (await platform.Gateway.PostAsJsonAsync("/api/sessions/refresh", new { refreshToken = tokens.RefreshToken }))
            .StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await _accounts.SignInAsync(email)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await _accounts.SignInAsync(email, newPassword)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await platform.Mailbox.WaitForAsync(email, "password was changed");

        // The link works once.
        using var again = await platform.Gateway.PostAsJsonAsync("/api/accounts/password-reset/confirm", new { token, newPassword = "yet another passphrase" });
        again.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_reset_form_page_works_without_javascript()
    {
        var (email, _) = await _accounts.CreateVerifiedAccountAsync("reset-form");
        await platform.Gateway.PostAsJsonAsync("/api/accounts/password-reset", new { email });
        var link = new Uri((await platform.Mailbox.WaitForAsync(email, "Reset your AuthPlatform password"))
            .LinkStartingWith(platform.Fleet.PublicBaseUrl + "/reset-password?token="));
        var token = Uri.UnescapeDataString(link.Query["?token=".Length..]);

        using var done = await platform.Gateway.PostAsync("/reset-password",
            new FormUrlEncodedContent([new("token", token), new("newPassword", "typed into a form")]));

        done.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await done.Content.ReadAsStringAsync()).ShouldContain("Password changed");
        (await _accounts.SignInAsync(email, "typed into a form")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
