using System.Net;

namespace AuthPlatform.Portal.Tests;

/// <summary>Signed-in devices (sign out everywhere else) and changing the password, in Chromium.</summary>
public sealed class SessionsAndPasswordTests(PortalPlatform platform, BrowserFixture browser)
{
    private readonly AccountClient _accounts = new(platform);

    [Fact]
    public async Task The_devices_page_lists_every_session_and_signs_out_everywhere_else()
    {
        await using var visit = await BrowserVisit.StartAsync(platform, browser);
        var email = await AccountPageSteps.SignedInAsync(platform, visit, "portal-sessions");
        // CreateVerifiedAccountAsync signed in once through the API; that and one more are "other devices".
        var other = await _accounts.SignInVerifiedAsync(email);

        await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Signed-in devices" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account/sessions");
        var devices = visit.Page.Locator("#devices li");
        (await devices.CountAsync()).ShouldBe(3);
        (await visit.Page.Locator("#devices li.current").InnerTextAsync()).ShouldContain("This device");
        await visit.StepAsync("devices");

        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out everywhere else" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account/sessions?notice=others-ended");
        (await devices.CountAsync()).ShouldBe(1);
        (await visit.Page.Locator("#only-device").IsVisibleAsync()).ShouldBeTrue();
        await visit.StepAsync("devices-others-signed-out");
        using var refresh = await _accounts.RefreshAsync(other.RefreshToken);
        refresh.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await visit.GotoAsync("/account"))!.Url.ShouldEndWith("/account");
    }

    [Fact]
    public async Task Changing_the_password_needs_the_current_one_refuses_a_weak_one_and_signs_out_every_other_device()
    {
        await using var visit = await BrowserVisit.StartAsync(platform, browser);
        var email = await AccountPageSteps.SignedInAsync(platform, visit, "portal-password");
        var other = await _accounts.SignInVerifiedAsync(email);
        await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Change password" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account/password");
        (await visit.Page.GetByLabel("Current password").GetAttributeAsync("autocomplete")).ShouldBe("current-password");
        (await visit.Page.GetByLabel("New password").GetAttributeAsync("autocomplete")).ShouldBe("new-password");
        await visit.StepAsync("change-password");

        await visit.Page.GetByLabel("Current password").FillAsync("not my password at all");
        await visit.Page.GetByLabel("New password").FillAsync("a brand new passphrase for portal");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        (await AccountPageSteps.FieldErrorAsync(visit, "Current password")).ShouldBe("That password is not right. Check it and try again.");
        await visit.StepAsync("change-password-wrong-current");

        await visit.Page.GetByLabel("Current password").FillAsync(AccountClient.GoodPassword);
        await visit.Page.GetByLabel("New password").FillAsync("password123");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        (await AccountPageSteps.FieldErrorAsync(visit, "New password")).ShouldStartWith("Choose a different password");

        const string newPassword = "a brand new passphrase for portal";
        await visit.Page.GetByLabel("Current password").FillAsync(AccountClient.GoodPassword);
        await visit.Page.GetByLabel("New password").FillAsync(newPassword);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account/password?notice=changed");
        (await visit.Page.Locator("#password-changed").InnerTextAsync()).ShouldContain("Every other device was signed out");
        await visit.StepAsync("password-changed");

        // This browser stays signed in; the other device is out; the new password opens the account, the old one does not.
        (await visit.GotoAsync("/account"))!.Url.ShouldEndWith("/account");
        using var refresh = await _accounts.RefreshAsync(other.RefreshToken);
        refresh.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var oldPassword = await _accounts.SignInAsync(email);
        oldPassword.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var signIn = await _accounts.SignInAsync(email, newPassword);
        signIn.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
