using System.Net;

namespace AuthPlatform.Portal.Tests;

/// <summary>Forgot password → email → reset form → every session signed out → sign in with the new password.</summary>
public sealed class ForgotPasswordTests(PortalPlatform platform, BrowserFixture browser)
{
    private readonly AccountClient _accounts = new(platform);

    [Fact]
    public async Task A_reset_signs_out_everywhere_and_the_new_password_signs_in()
    {
        var (email, apiTokens) = await _accounts.CreateVerifiedAccountAsync("portal-reset");
        const string newPassword = "lanterns over the winter canal";
        // Another browser, signed in before the reset.
        await using var other = await BrowserVisit.StartAsync(platform, browser);
        await other.SubmitSignInAsync(email, AccountClient.GoodPassword);
        await other.Page.WaitForURLAsync("**/account");
        await using var visit = await BrowserVisit.StartAsync(platform, browser);

        await visit.GotoAsync("/sign-in");
        await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Forgot your password?" }).ClickAsync();
        await visit.ExpectHeadingAsync("Reset your password");
        await visit.StepAsync("forgot-password");
        await visit.Page.GetByLabel("Email address").FillAsync(email);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Send the link" }).ClickAsync();
        await visit.ExpectHeadingAsync("Check your email");
        await visit.StepAsync("forgot-password-sent");

        var link = (await platform.Mailbox.WaitForAsync(email, "Reset your AuthPlatform password"))
            .LinkStartingWith(platform.Fleet.PublicBaseUrl + "/reset-password?token=");
        await visit.GotoAsync(link);
        await visit.ExpectHeadingAsync("Choose a new password");
        (await visit.Page.GetByLabel("New password").GetAttributeAsync("autocomplete")).ShouldBe("new-password");
        await visit.StepAsync("reset-password");
        await visit.Page.GetByLabel("New password").FillAsync("password");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await visit.Page.Locator("#newpassword-error").WaitForAsync();
        await visit.StepAsync("reset-password-weak");
        await visit.Page.GetByLabel("New password").FillAsync(newPassword);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();

        await visit.ExpectHeadingAsync("Sign in");
        (await visit.MainTextAsync()).ShouldContain("Your password was changed and every session was signed out.");
        await visit.StepAsync("password-changed");

        // Signed out everywhere: the API session and the other browser both.
        using var refresh = await platform.Gateway.PostAsJsonAsync("/api/sessions/refresh", new { refreshToken = apiTokens.RefreshToken });
        refresh.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await other.GotoAsync("/account");
        await other.ExpectHeadingAsync("Sign in");

        await visit.SubmitSignInAsync(email, AccountClient.GoodPassword, open: false);
        await visit.Page.GetByRole(AriaRole.Alert).WaitForAsync();
        await visit.SubmitSignInAsync(email, newPassword, open: false);
        await visit.Page.WaitForURLAsync("**/account");
    }
}
