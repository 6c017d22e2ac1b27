using Aspire.Hosting;
using Aspire.Hosting.Testing;
using AuthPlatform.AppHost;

namespace AuthPlatform.Portal.Tests;

/// <summary>
/// samples/RelyingParty, the stock ASP.NET Core OpenID Connect handler (code + PKCE), against the platform in
/// Chromium: its button, the portal's sign-in and consent, back in the app with the platform's claims, and sign-out.
/// </summary>
public sealed class RelyingPartySampleTests(PortalPlatform platform, BrowserFixture browser)
{
    private readonly AccountClient _accounts = new(platform);

    [Fact]
    public async Task Sign_in_with_AuthPlatform_brings_the_person_back_signed_in_with_the_platforms_claims_and_sign_out_ends_it()
    {
        var (email, apiTokens) = await _accounts.CreateVerifiedAccountAsync("oidc-sample");
        var accountId = (await AccountClient.JsonAsync(await _accounts.GetProfileAsync(apiTokens.AccessToken))).GetProperty("id").GetString()!;
        await platform.App.ResourceNotifications.WaitForResourceHealthyAsync(RelyingPartySample.Resource, TestContext.Current.CancellationToken);
        var sample = platform.App.GetEndpoint(RelyingPartySample.Resource).ToString().TrimEnd('/');
        await using var visit = await BrowserVisit.StartAsync(platform, browser);

        await visit.GotoAsync(sample + "/");
        await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Sign in with AuthPlatform" }).ClickAsync();
        try
        {
            await visit.Page.GetByLabel("Email address").WaitForAsync();
        }
        catch (TimeoutException)
        {
            var content = await visit.Page.ContentAsync();
            throw new ShouldAssertException($"Expected the portal's sign-in page, but the browser is at {visit.Page.Url}: {content[..Math.Min(content.Length, 1500)]}");
        }
        await visit.Page.GetByLabel("Email address").FillAsync(email);
        await visit.Page.GetByLabel("Password").FillAsync(AccountClient.GoodPassword);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await visit.Page.GetByRole(AriaRole.Heading, new() { Name = "Allow Relying party sample?" }).WaitForAsync();
        await visit.StepAsync("consent");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();

        await visit.Page.GetByRole(AriaRole.Heading, new() { Name = $"Signed in as {email}" }).WaitForAsync();
        visit.Page.Url.ShouldStartWith(sample);
        (await visit.Page.Locator("[data-claim=sub]").InnerTextAsync()).ShouldBe(accountId);
        (await visit.Page.Locator("[data-claim=email]").First.InnerTextAsync()).ShouldBe(email);
        (await visit.Page.Locator("[data-claim=amr]").AllInnerTextsAsync()).ShouldBe(["pwd"]);

        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Sign in with AuthPlatform" }).WaitForAsync();
        visit.Page.Url.ShouldStartWith(sample);
    }
}
