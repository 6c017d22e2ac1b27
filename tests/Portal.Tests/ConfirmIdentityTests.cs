namespace AuthPlatform.Portal.Tests;

/// <summary>
/// "Confirm it's you": the page an account page sends a person to when the API wants a recent sign-in. It asks for
/// the password, and the code when 2FA is on, says which one was wrong, and returns to the page the person was on,
/// never to another site.
/// </summary>
public sealed class ConfirmIdentityTests(PortalPlatform platform, BrowserFixture browser)
{
    private readonly TwoFactorSetup _twoFactor = new(platform);

    [Fact]
    public async Task It_asks_for_the_password_and_the_code_names_the_wrong_one_and_goes_back_where_the_person_was()
    {
        var account = await _twoFactor.WithAuthenticatorAppAsync("portal-confirm");
        await using var visit = await BrowserVisit.StartAsync(platform, browser);
        await SignInAsync(visit, account);

        await visit.GotoAsync("/account/confirm-identity?returnUrl=%2Faccount%2Faccess-keys&reason=reauthentication-required");
        await visit.ExpectHeadingAsync("Confirm it's you");
        (await visit.Page.GetByLabel("Password", new() { Exact = true }).GetAttributeAsync("autocomplete")).ShouldBe("current-password");
        (await visit.Page.GetByLabel("Code", new() { Exact = true }).GetAttributeAsync("autocomplete")).ShouldBe("one-time-code");
        await visit.StepAsync("confirm-identity");

        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        (await AccountPageSteps.FieldErrorAsync(visit, "Password")).ShouldBe("Enter your password.");
        (await AccountPageSteps.FieldErrorAsync(visit, "Code")).ShouldBe("Enter a code.");

        await visit.Page.GetByLabel("Password", new() { Exact = true }).FillAsync("not my password at all");
        await visit.Page.GetByLabel("Code", new() { Exact = true }).FillAsync(await account.App!.NextCodeAsync());
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        (await AccountPageSteps.FieldErrorAsync(visit, "Password")).ShouldBe("That password is not right. Check it and try again.");

        await visit.Page.GetByLabel("Password", new() { Exact = true }).FillAsync(account.Password);
        await visit.Page.GetByLabel("Code", new() { Exact = true }).FillAsync(account.App.WrongCode());
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        (await AccountPageSteps.FieldErrorAsync(visit, "Code")).ShouldBe("That code is not right, has expired or was already used. Wait for the next code and try again.");
        await visit.StepAsync("confirm-identity-wrong-code");

        await visit.Page.GetByLabel("Password", new() { Exact = true }).FillAsync(account.Password);
        await visit.Page.GetByLabel("Code", new() { Exact = true }).FillAsync(await account.App.NextCodeAsync());
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account/access-keys");
        await visit.ExpectHeadingAsync("Access keys");
    }

    [Theory]
    [InlineData("https://evil.example/steal")]
    [InlineData("//evil.example/steal")]
    [InlineData("/\\evil.example")]
    public async Task A_return_address_off_the_portal_leads_to_the_account_page(string returnUrl)
    {
        var (email, _) = await _twoFactor.Accounts.CreateVerifiedAccountAsync("portal-confirm-return");
        await using var visit = await BrowserVisit.StartAsync(platform, browser);
        await visit.SubmitSignInAsync(email, AccountClient.GoodPassword);
        await visit.Page.WaitForURLAsync("**/account");

        await visit.GotoAsync("/account/confirm-identity?returnUrl=" + Uri.EscapeDataString(returnUrl));
        (await visit.Page.GetByLabel("Code", new() { Exact = true }).CountAsync()).ShouldBe(0, "no code is asked without 2FA");
        await visit.Page.GetByLabel("Password", new() { Exact = true }).FillAsync(AccountClient.GoodPassword);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await visit.Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account");
        new Uri(visit.Page.Url).Host.ShouldBe(new Uri(platform.Fleet.PublicBaseUrl).Host);
    }

    private static async Task SignInAsync(BrowserVisit visit, TwoFactorAccount account)
    {
        await visit.SubmitSignInAsync(account.Email, account.Password);
        await visit.Page.WaitForURLAsync("**/sign-in/two-factor");
        await visit.Page.GetByLabel("Six-digit code").FillAsync(await account.App!.NextCodeAsync());
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account");
    }
}
