namespace AuthPlatform.Portal.Tests;

/// <summary>Sign up → "Check your email" → the email's Verify email button → "Email verified" → signed in.</summary>
public sealed class SignUpTests(PortalPlatform platform, BrowserFixture browser)
{
    [Fact]
    public async Task Sign_up_verify_the_email_and_sign_in()
    {
        var email = PlatformFixture.NewEmail("portal-sign-up");
        const string password = "a walk along the quiet harbour";
        await using var visit = await BrowserVisit.StartAsync(platform, browser);

        await visit.GotoAsync("/sign-up");
        await visit.ExpectHeadingAsync("Create your account");
        var passwordField = visit.Page.GetByLabel("Password");
        (await passwordField.GetAttributeAsync("autocomplete")).ShouldBe("new-password");
        (await visit.Page.Locator("#password-hint").InnerTextAsync()).ShouldContain("Use 12 to 128 characters.");
        await visit.StepAsync("sign-up");

        // The policy speaks on the field first.
        await visit.Page.GetByLabel("Email address").FillAsync(email);
        await passwordField.FillAsync("too short");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        await visit.Page.Locator("#password-error").WaitForAsync();
        (await visit.Page.Locator("#password-error").InnerTextAsync()).ShouldContain("at least 12 characters");
        (await visit.Page.GetByLabel("Password").GetAttributeAsync("aria-describedby")).ShouldBe("password-hint password-error");
        await visit.StepAsync("sign-up-weak-password");

        await visit.Page.GetByLabel("Password").FillAsync(password);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        await visit.ExpectHeadingAsync("Check your email");
        (await visit.MainTextAsync()).ShouldContain(email);
        await visit.StepAsync("check-email");

        var message = await platform.Mailbox.WaitForAsync(email, "Verify your email");
        var link = message.LinkStartingWith(platform.Fleet.PublicBaseUrl + "/verify-email?token=");
        await visit.GotoAsync(link);
        await visit.ExpectHeadingAsync("Verify your email");
        await visit.StepAsync("verify-email");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Verify email" }).ClickAsync();

        await visit.ExpectHeadingAsync("Email verified");
        (await visit.Page.GetByLabel("Email address").InputValueAsync()).ShouldBe(email, "signed up in this browser: the address is filled in");
        await visit.StepAsync("email-verified");
        await PlatformFixture.EventuallyAsync("the account service learnt of the verification", async () =>
            (await new AccountClient(platform).SignInAsync(email, password)).StatusCode == System.Net.HttpStatusCode.OK);
        await visit.Page.GetByLabel("Password").FillAsync(password);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).Last.ClickAsync();
        await visit.Page.WaitForURLAsync("**/account");
        (await visit.MainTextAsync()).ShouldContain(email);
        await visit.StepAsync("signed-in");

        // The link is spent: pressing it again says so, with a way to get a new one.
        await visit.GotoAsync(link);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Verify email" }).ClickAsync();
        await visit.ExpectHeadingAsync("This link is invalid or has expired");
        await visit.StepAsync("verify-link-spent");
    }
}
