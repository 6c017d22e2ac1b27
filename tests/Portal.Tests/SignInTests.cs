using System.Net;

namespace AuthPlatform.Portal.Tests;

/// <summary>Signing in through the portal in Chromium: the password step, then the account page.</summary>
public sealed class SignInTests(PlatformFixture platform, BrowserFixture browser)
{
    private readonly AccountClient _accounts = new(platform);

    [Fact]
    public async Task A_verified_account_signs_in_and_lands_on_its_account_page()
    {
        var (email, _) = await _accounts.CreateVerifiedAccountAsync("portal-sign-in");
        await using var visit = await BrowserVisit.StartAsync(platform, browser);

        var response = await visit.GotoAsync("/sign-in");
        response!.Status.ShouldBe((int)HttpStatusCode.OK);
        await visit.StepAsync("sign-in");
        await visit.Page.GetByLabel("Email address").FillAsync(email);
        await visit.Page.GetByLabel("Password").FillAsync(AccountClient.GoodPassword);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await visit.Page.WaitForURLAsync("**/account");
        await visit.Page.GetByRole(AriaRole.Heading, new() { Name = "Your account" }).WaitForAsync();
        (await visit.MainTextAsync()).ShouldContain(email);
        await visit.StepAsync("account");
    }
}
