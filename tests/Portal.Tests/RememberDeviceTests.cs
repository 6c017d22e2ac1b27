using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AuthPlatform.Portal.Tests;

/// <summary>
/// "Remember this device for 30 days" at the two-factor step, in Chromium: the remembered browser (and only it) signs
/// in with the password alone; the devices page lists and forgets remembered devices; an app that asks for a fresh
/// sign-in or a second factor still gets one. (The invalidating events and the API's token path: Account.Tests.)
/// </summary>
public sealed class RememberDeviceTests(PortalPlatform platform, BrowserFixture browser) : IDisposable
{
    private const string TwoFactorHeading = "Two-factor authentication";

    private readonly TwoFactorSetup _setup = new(platform);
    private readonly OidcTestClient _client = new(platform);

    [Fact]
    public async Task A_remembered_browser_skips_the_second_factor_alone_until_it_is_forgotten()
    {
        var account = await _setup.WithAuthenticatorAppAsync("portal-remember");
        await using var visit = await BrowserVisit.StartAsync(platform, browser);
        await visit.SubmitSignInAsync(account.Email, account.Password);
        await visit.ExpectHeadingAsync(TwoFactorHeading);
        var remember = visit.Page.GetByLabel("Remember this device for 30 days");
        (await remember.IsCheckedAsync()).ShouldBeFalse("remembering is the person's choice");
        await visit.StepAsync("two-factor-with-remember");
        await remember.CheckAsync();
        await visit.Page.GetByLabel("Six-digit code").FillAsync(await account.App!.NextCodeAsync());
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account");

        var device = (await visit.Context.CookiesAsync()).Single(c => c.Name == "portal.device");
        device.HttpOnly.ShouldBeTrue();
        device.SameSite.ShouldBe(SameSiteAttribute.Lax);
        // Secure outside loopback, like every portal cookie (PortalSecurityTests); PublicBaseUrl is http://localhost here.
        device.Secure.ShouldBeFalse();
        DateTimeOffset.FromUnixTimeSeconds((long)device.Expires).ShouldBe(DateTimeOffset.UtcNow.AddDays(30), TimeSpan.FromHours(1));
        // The owner hears of the sign-in on a new device, named after the browser.
        await PlatformFixture.EventuallyAsync("the new-device email names the browser", async () =>
            (await platform.Mailbox.AllToAsync(account.Email)).Any(e => e.Subject.Contains("New sign-in") && e.Text.Contains("Chrome on Linux")));

        // Signed out, this browser needs only the password; a second browser is still asked for the code.
        await SignOutAsync(visit);
        await visit.SubmitSignInAsync(account.Email, account.Password);
        await visit.Page.WaitForURLAsync("**/account");
        await using (var other = await BrowserVisit.StartAsync(platform, browser))
        {
            await other.SubmitSignInAsync(account.Email, account.Password);
            await other.ExpectHeadingAsync(TwoFactorHeading);
        }

        // A CLI remembered too (its device token, through the API with a recovery code): two remembered devices.
        var cliToken = await RememberThroughApiAsync(account.Email, account.RecoveryCodes[0]);
        await visit.GotoAsync("/account/sessions");
        var remembered = visit.Page.Locator("#remembered-devices li");
        (await remembered.CountAsync()).ShouldBe(2);
        (await visit.Page.Locator("#remembered-devices").InnerTextAsync()).ShouldContain("Chrome on Linux");
        await visit.StepAsync("remembered-devices");

        // Forget the CLI: its token asks for the second factor again, this browser still skips it.
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Forget An unknown device", Exact = false }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account/sessions?notice=forgotten");
        (await remembered.CountAsync()).ShouldBe(1);
        (await PasswordStepAsync(account.Email, cliToken)).GetProperty("mfaRequired").GetBoolean().ShouldBeTrue();
        await SignOutAsync(visit);
        await visit.SubmitSignInAsync(account.Email, account.Password);
        await visit.Page.WaitForURLAsync("**/account");

        // Forget every device: this browser is asked again.
        await visit.GotoAsync("/account/sessions");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Forget every device" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account/sessions?notice=all-forgotten");
        await visit.Page.Locator("#no-remembered-devices").WaitForAsync();
        await SignOutAsync(visit);
        await visit.SubmitSignInAsync(account.Email, account.Password);
        await visit.ExpectHeadingAsync(TwoFactorHeading);
    }

    [Fact]
    public async Task An_app_asking_for_a_fresh_sign_in_or_a_second_factor_still_gets_the_second_factor_on_a_remembered_browser()
    {
        var account = await _setup.WithAuthenticatorAppAsync("portal-remember-oidc");
        await using var visit = await BrowserVisit.StartAsync(platform, browser);
        using var callbacks = new LoopbackRedirectReceiver();

        // Signed in for the app with the code, remembering this browser.
        await OidcProviderTests.StartAsync(visit, _client.AuthorizePath());
        await visit.SubmitSignInAsync(account.Email, account.Password, open: false);
        await visit.ExpectHeadingAsync(TwoFactorHeading);
        await visit.Page.GetByLabel("Remember this device for 30 days").CheckAsync();
        await visit.Page.GetByLabel("Six-digit code").FillAsync(await account.App!.NextCodeAsync());
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();
        OidcTestClient.QueryValue(await callbacks.NextAsync(visit.Page), "code").ShouldNotBeNullOrEmpty();

        // prompt=login and acr_values=mfa: the password, then the code, although the browser is remembered.
        foreach (var parameter in new[] { "prompt=login", "acr_values=mfa" })
        {
            await OidcProviderTests.StartAsync(visit, _client.AuthorizePath() + "&" + parameter);
            await visit.Page.WaitForURLAsync("**/sign-in?**");
            await visit.SubmitSignInAsync(account.Email, account.Password, open: false);
            await visit.ExpectHeadingAsync(TwoFactorHeading);
        }

        // A plain request: the password alone, and the ID token says so (amr pwd, acr pwd).
        await OidcProviderTests.StartAsync(visit, _client.AuthorizePath());
        await visit.Page.WaitForURLAsync("**/sign-in?**");
        await visit.SubmitSignInAsync(account.Email, account.Password, open: false);
        var redeemed = await _client.RedeemAsync(OidcTestClient.QueryValue(await callbacks.NextAsync(visit.Page), "code")!);
        redeemed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var idToken = OidcTestClient.Decode((await AccountClient.JsonAsync(redeemed)).GetProperty("id_token").GetString()!).Payload;
        idToken.GetProperty("amr").EnumerateArray().Select(m => m.GetString()).ShouldBe(["pwd"]);
        idToken.GetProperty("acr").GetString().ShouldBe("pwd");
    }

    private static async Task SignOutAsync(BrowserVisit visit)
    {
        await visit.Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/sign-in?notice=signed-out");
    }

    private async Task<JsonElement> PasswordStepAsync(string email, string? deviceToken)
    {
        using var response = await platform.Gateway.PostAsJsonAsync("/api/sessions", new { email, password = AccountClient.GoodPassword, deviceToken });
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await AccountClient.JsonAsync(response);
    }

    /// <summary>The CLI's way: the password step, then a recovery code with rememberDevice; returns its device token.</summary>
    private async Task<string> RememberThroughApiAsync(string email, string recoveryCode)
    {
        var step = await PasswordStepAsync(email, null);
        using var second = await platform.Gateway.PostAsJsonAsync("/api/sessions/mfa", new
        {
            mfaToken = step.GetProperty("mfaToken").GetString(),
            method = "recovery_code",
            code = recoveryCode,
            rememberDevice = true,
        });
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await AccountClient.JsonAsync(second)).GetProperty("deviceToken").GetString()!;
    }

    public void Dispose() => _client.Dispose();
}
