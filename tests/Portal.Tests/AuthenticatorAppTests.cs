using System.Net;
using System.Text.RegularExpressions;

namespace AuthPlatform.Portal.Tests;

/// <summary>
/// Account page → Two-factor Authentication → Turn On → Authenticator App: the QR code scanned like a phone would,
/// the key typed by hand matching it, the first code, the recovery codes downloaded and confirmed; then the on state's
/// Regenerate recovery codes, Reconfigure (the old app works until the new one is confirmed) and Turn off.
/// </summary>
public sealed partial class AuthenticatorAppTests(PortalPlatform platform, BrowserFixture browser)
{
    private readonly AccountClient _accounts = new(platform);

    [Fact]
    public async Task Turning_on_the_authenticator_app_shows_a_scannable_qr_code_and_the_recovery_codes_to_download()
    {
        await using var visit = await BrowserVisit.StartAsync(platform, browser);
        var email = await AccountPageSteps.SignedInAsync(platform, visit, "portal-totp");
        (await AccountPageSteps.TwoFactorStateAsync(visit)).ShouldStartWith("Off.");
        await visit.StepAsync("account-2fa-off");

        await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Turn On" }).ClickAsync();
        await visit.Page.GetByRole(AriaRole.Heading, new() { Name = "Turn on two-factor authentication" }).WaitForAsync();
        await visit.StepAsync("choose-method");
        await visit.Page.GetByLabel("Authenticator App").CheckAsync();
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();

        // The QR code: an <img> of this site (no token, no secret in its address) that a camera reads as the otpauth URI.
        await visit.Page.WaitForURLAsync("**/account/two-factor/app");
        var source = await visit.Page.Locator(AccountPageSteps.QrImage).GetAttributeAsync("src");
        source.ShouldBe("/account/two-factor/app?handler=Qr");
        var otpauth = await AccountPageSteps.ScanQrCodeAsync(visit);
        otpauth.ShouldStartWith($"otpauth://totp/AuthPlatform:{email}?secret=");
        await visit.StepAsync("qr-code");

        // The key for typing by hand: the same secret, in groups of four.
        var key = (await visit.Page.Locator("#setup-key").InnerTextAsync()).Trim();
        key.ShouldMatch("^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$");
        otpauth.ShouldContain("secret=" + key.Replace(" ", ""));
        var phone = Authenticator.FromOtpauthUri(otpauth);

        // A wrong code is a sentence tied to the field; the QR code stays.
        await visit.Page.GetByLabel("Six-digit code").FillAsync(WrongCode(phone.CodeForStep(Authenticator.StepAt(DateTimeOffset.UtcNow))));
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Turn on" }).ClickAsync();
        (await AccountPageSteps.FieldErrorAsync(visit, "Six-digit code")).ShouldContain("That code is not right");
        (await visit.Page.Locator(AccountPageSteps.QrImage).IsVisibleAsync()).ShouldBeTrue();
        await visit.StepAsync("wrong-code");
        await visit.Page.GetByLabel("Six-digit code").FillAsync("12a");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Turn on" }).ClickAsync();
        (await AccountPageSteps.FieldErrorAsync(visit, "Six-digit code")).ShouldBe("Enter the six-digit code your app shows.");

        // The first real code, typed with a space as people do: the confirmation screen with the recovery codes.
        var code = await phone.NextCodeAsync();
        await visit.Page.GetByLabel("Six-digit code").FillAsync($"{code[..3]} {code[3..]}");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Turn on" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account/two-factor/recovery-codes");
        var codes = await AccountPageSteps.RecoveryCodesOnPageAsync(visit);
        codes.Length.ShouldBe(10);
        codes.ShouldAllBe(c => RecoveryCode().IsMatch(c));
        (await visit.MainTextAsync()).ShouldContain("This is the only time we show them.");
        await visit.StepAsync("recovery-codes");

        var download = await visit.Page.RunAndWaitForDownloadAsync(() => visit.Page.GetByRole(AriaRole.Link, new() { Name = "Download" }).ClickAsync());
        download.SuggestedFilename.ShouldBe("authplatform-recovery-codes.txt");
        var file = await File.ReadAllLinesAsync((await download.PathAsync())!);
        file.Where(line => RecoveryCode().IsMatch(line)).ShouldBe(codes);
        file.ShouldContain($"Account: {email}");

        // "I saved them" before leaving.
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "I saved them" }).ClickAsync();
        (await AccountPageSteps.FieldErrorAsync(visit, "I saved my recovery codes somewhere safe")).ShouldContain("Tick the box");
        await visit.Page.GetByLabel("I saved my recovery codes somewhere safe").CheckAsync();
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "I saved them" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account?notice=two-factor-on");
        (await AccountPageSteps.TwoFactorStateAsync(visit)).ShouldBe("On, with an authenticator app. 10 recovery codes remain.");
        await visit.StepAsync("account-2fa-on");

        // The codes are gone from the browser once saved, and the next sign-in asks for the second factor.
        (await visit.GotoAsync("/account/two-factor/recovery-codes"))!.Url.ShouldEndWith("/account");
        await platform.Mailbox.WaitForAsync(email, "Two-factor authentication was turned on");
        using var signIn = await _accounts.SignInAsync(email);
        (await AccountClient.JsonAsync(signIn)).GetProperty("mfaRequired").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task With_the_app_on_recovery_codes_are_regenerated_the_app_is_replaced_and_two_factor_is_turned_off()
    {
        await using var visit = await BrowserVisit.StartAsync(platform, browser);
        var email = await AccountPageSteps.SignedInAsync(platform, visit, "portal-totp-manage");
        var (oldPhone, firstCodes) = await AccountPageSteps.TurnOnAuthenticatorAppAsync(visit);

        // Regenerate recovery codes with one of the first codes: ten new ones, the old ones stop working.
        await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Regenerate recovery codes" }).ClickAsync();
        await visit.Page.GetByLabel("Current code").FillAsync("0000-0000-0000-0000");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Make new codes" }).ClickAsync();
        (await AccountPageSteps.FieldErrorAsync(visit, "Current code")).ShouldContain("That code is not right");
        await visit.StepAsync("regenerate-wrong-code");
        await visit.Page.GetByLabel("Current code").FillAsync(firstCodes[0]);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Make new codes" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account/two-factor/recovery-codes");
        var newCodes = await AccountPageSteps.RecoveryCodesOnPageAsync(visit);
        newCodes.Length.ShouldBe(10);
        newCodes.ShouldNotContain(firstCodes[1]);
        await visit.StepAsync("new-recovery-codes");
        await visit.Page.GetByLabel("I saved my recovery codes somewhere safe").CheckAsync();
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "I saved them" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account?notice=recovery-codes-new");
        (await visit.MainTextAsync()).ShouldContain("The old ones no longer work.");

        // Reconfigure: a current code from the old app, then a new QR code; the old app still counts until the new one is confirmed.
        await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Reconfigure" }).ClickAsync();
        await visit.Page.GetByRole(AriaRole.Heading, new() { Name = "Reconfigure two-factor authentication" }).WaitForAsync();
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await visit.Page.GetByLabel("Current code").FillAsync(await oldPhone.NextCodeAsync());
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        var newPhone = Authenticator.FromOtpauthUri(await AccountPageSteps.ScanQrCodeAsync(visit));
        newPhone.SkipThrough(oldPhone.LastStep);
        await visit.StepAsync("reconfigure-qr-code");
        (await AccountStateAsync(visit.Context)).ShouldContain("with an authenticator app");
        await visit.Page.GetByLabel("Six-digit code").FillAsync(await newPhone.NextCodeAsync());
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Turn on" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account/two-factor/recovery-codes");
        var reconfiguredCodes = await AccountPageSteps.RecoveryCodesOnPageAsync(visit);
        await visit.Page.GetByLabel("I saved my recovery codes somewhere safe").CheckAsync();
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "I saved them" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account?notice=*");

        // Turn off: the old app's codes no longer count, a recovery code of the new setup does.
        await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Turn off" }).ClickAsync();
        await visit.StepAsync("turn-off");
        await visit.Page.GetByLabel("Current code").FillAsync(newCodes[0]);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Turn off" }).ClickAsync();
        (await AccountPageSteps.FieldErrorAsync(visit, "Current code")).ShouldContain("That code is not right");
        await visit.Page.GetByLabel("Current code").FillAsync(reconfiguredCodes[0]);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Turn off" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account?notice=two-factor-off");
        (await AccountPageSteps.TwoFactorStateAsync(visit)).ShouldStartWith("Off.");
        (await visit.MainTextAsync()).ShouldContain("Two-factor authentication is off. We emailed you about this change.");
        await visit.StepAsync("account-2fa-turned-off");
        using var signIn = await _accounts.SignInAsync(email);
        signIn.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await AccountClient.JsonAsync(signIn)).TryGetProperty("accessToken", out _).ShouldBeTrue();
    }

    /// <summary>The account page's two-factor sentence, read in a second tab of the same browser.</summary>
    private static async Task<string> AccountStateAsync(IBrowserContext context)
    {
        var tab = await context.NewPageAsync();
        await tab.GotoAsync("/account");
        var state = await tab.Locator("#mfa-state").InnerTextAsync();
        await tab.CloseAsync();
        return state;
    }

    private static string WrongCode(string right) => right[..5] + (char)('0' + (right[5] - '0' + 5) % 10);

    [GeneratedRegex("^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$")]
    private static partial Regex RecoveryCode();
}
