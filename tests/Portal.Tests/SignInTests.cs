using System.Net;

namespace AuthPlatform.Portal.Tests;

/// <summary>
/// Signing in through the portal in Chromium: the password step, the two-factor code page (authenticator app or SMS,
/// with "Send a new code" and its cooldown), "Can't access two-factor device" with a recovery code, and signing out.
/// </summary>
public sealed class SignInTests(PortalPlatform platform, BrowserFixture browser)
{
    private readonly AccountClient _accounts = new(platform);
    private readonly TwoFactorSetup _twoFactor = new(platform);

    [Fact]
    public async Task A_verified_account_signs_in_lands_on_its_account_page_and_signs_out()
    {
        var (email, _) = await _accounts.CreateVerifiedAccountAsync("portal-sign-in");
        await using var visit = await BrowserVisit.StartAsync(platform, browser);

        var response = await visit.GotoAsync("/sign-in");
        response!.Status.ShouldBe((int)HttpStatusCode.OK);
        await visit.StepAsync("sign-in");
        await visit.SubmitSignInAsync(email, AccountClient.GoodPassword, open: false);

        await visit.Page.WaitForURLAsync("**/account");
        await visit.ExpectHeadingAsync("Your account");
        (await visit.MainTextAsync()).ShouldContain(email);
        await visit.StepAsync("account");

        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await visit.ExpectHeadingAsync("Sign in");
        (await visit.MainTextAsync()).ShouldContain("You are signed out.");
        await visit.StepAsync("signed-out");
        await visit.GotoAsync("/account");
        visit.Page.Url.ShouldContain("/sign-in?returnUrl=%2Faccount");
    }

    [Fact]
    public async Task A_wrong_password_is_one_message_on_the_page()
    {
        var (email, _) = await _accounts.CreateVerifiedAccountAsync("portal-wrong-password");
        await using var visit = await BrowserVisit.StartAsync(platform, browser);

        await visit.SubmitSignInAsync(email, "not the password at all");

        await visit.Page.GetByRole(AriaRole.Alert).WaitForAsync();
        (await visit.Page.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldBe("That email and password do not match an account. Check both and try again.");
        (await visit.Page.GetByLabel("Email address").InputValueAsync()).ShouldBe(email);
        await visit.StepAsync("wrong-password");
    }

    [Fact]
    public async Task An_unverified_address_is_told_so_and_offered_the_email_again()
    {
        var email = PlatformFixture.NewEmail("portal-unverified");
        (await _accounts.SignUpAsync(email)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await using var visit = await BrowserVisit.StartAsync(platform, browser);

        await visit.SubmitSignInAsync(email, AccountClient.GoodPassword);

        await visit.Page.GetByText("This email address is not verified yet.").WaitForAsync();
        await visit.StepAsync("email-not-verified");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Send the verification email again" }).ClickAsync();
        await visit.ExpectHeadingAsync("Send the verification email again");
        (await visit.MainTextAsync()).ShouldContain($"If {email} is waiting to be verified, a new email is on its way.");
        await visit.StepAsync("verification-email-sent");
    }

    [Fact]
    public async Task With_an_authenticator_app_the_code_page_asks_for_its_code()
    {
        var account = await _twoFactor.WithAuthenticatorAppAsync("portal-totp");
        await using var visit = await BrowserVisit.StartAsync(platform, browser);

        await visit.SubmitSignInAsync(account.Email, account.Password);
        await visit.Page.WaitForURLAsync("**/sign-in/two-factor");
        await visit.ExpectHeadingAsync("Two-factor authentication");
        (await visit.MainTextAsync()).ShouldContain("authenticator app");
        var code = visit.Page.GetByLabel("Six-digit code");
        (await code.GetAttributeAsync("autocomplete")).ShouldBe("one-time-code");
        (await code.GetAttributeAsync("inputmode")).ShouldBe("numeric");
        await visit.StepAsync("two-factor-code");

        await code.FillAsync(account.App!.WrongCode());
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await visit.Page.Locator("#code-error").WaitForAsync();
        (await visit.Page.Locator("#code-error").InnerTextAsync()).ShouldBe("That code is not right. Check it and try again.");
        (await code.GetAttributeAsync("aria-describedby")).ShouldBe("code-error");
        (await code.GetAttributeAsync("aria-invalid")).ShouldBe("true");
        await visit.StepAsync("two-factor-wrong-code");

        var next = await account.App.NextCodeAsync();
        await code.FillAsync($"{next[..3]} {next[3..]}");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account");
        (await visit.MainTextAsync()).ShouldContain("On, with an authenticator app.");
        await visit.StepAsync("account-two-factor-on");
    }

    [Fact]
    public async Task With_sms_the_code_page_texts_a_code_and_shows_the_wait_before_a_new_one()
    {
        var account = await _twoFactor.WithSmsAsync("portal-sms");
        await using var visit = await BrowserVisit.StartAsync(platform, browser);

        await visit.SubmitSignInAsync(account.Email, account.Password);
        await visit.Page.WaitForURLAsync("**/sign-in/two-factor");
        (await visit.MainTextAsync()).ShouldContain("We sent a 6-digit code by text message");
        var text = await platform.Twilio.WaitForMessageAsync(account.Phone!, count: 2);
        await visit.StepAsync("two-factor-sms");

        // Straight after the first text: the cooldown answers, and the page says how long to wait.
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Send a new code" }).ClickAsync();
        await visit.Page.GetByRole(AriaRole.Alert).WaitForAsync();
        (await visit.Page.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldMatch(@"^A code was sent moments ago\. You can ask for a new one in \d+ seconds\.$");
        await visit.StepAsync("two-factor-sms-cooldown");

        await visit.Page.GetByLabel("Six-digit code").FillAsync(text.Code);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account");
        (await visit.MainTextAsync()).ShouldContain("On, with SMS codes.");
    }

    [Fact]
    public async Task Cant_access_two_factor_device_signs_in_with_a_recovery_code_and_says_how_many_remain()
    {
        var account = await _twoFactor.WithAuthenticatorAppAsync("portal-recovery");
        await using var visit = await BrowserVisit.StartAsync(platform, browser);

        await visit.SubmitSignInAsync(account.Email, account.Password);
        await visit.Page.WaitForURLAsync("**/sign-in/two-factor");
        await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Can't access two-factor device?" }).ClickAsync();
        await visit.ExpectHeadingAsync("Use a recovery code");
        await visit.StepAsync("recovery-code");

        await visit.Page.GetByLabel("Recovery code").FillAsync("AAAA-BBBB-CCCC-DDDD");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).Last.ClickAsync();
        await visit.Page.Locator("#code-error").WaitForAsync();
        await visit.StepAsync("recovery-code-wrong");

        await visit.Page.GetByLabel("Recovery code").FillAsync(account.RecoveryCodes[0]);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).Last.ClickAsync();
        await visit.Page.WaitForURLAsync("**/account?notice=recovery-code-used");
        var banner = await visit.Page.Locator("#recovery-banner").InnerTextAsync();
        banner.ShouldContain($"You have {account.RecoveryCodes.Length - 1} recovery codes left, and we emailed you about this sign-in.");
        await visit.StepAsync("recovery-banner");
        await platform.Mailbox.WaitForAsync(account.Email, "A recovery code was used");
    }
}
