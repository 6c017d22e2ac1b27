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
    public async Task Sign_in_with_AuthPlatform_and_a_second_factor_brings_the_person_back_with_the_platforms_claims_a_second_app_gets_single_sign_on_and_sign_out_ends_both()
    {
        var (email, apiTokens) = await _accounts.CreateVerifiedAccountAsync("oidc-sample");
        var accountId = (await AccountClient.JsonAsync(await _accounts.GetProfileAsync(apiTokens.AccessToken))).GetProperty("id").GetString()!;
        var (app, _) = await new TwoFactorSetup(platform).EnableAuthenticatorAppAsync(apiTokens.AccessToken);
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
        await visit.SubmitSignInAsync(email, AccountClient.GoodPassword, open: false);
        await visit.Page.GetByLabel("Six-digit code").FillAsync(await app.NextCodeAsync());
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await visit.Page.GetByRole(AriaRole.Heading, new() { Name = "Allow Relying party sample?" }).WaitForAsync();
        await visit.StepAsync("consent");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();

        await visit.Page.GetByRole(AriaRole.Heading, new() { Name = $"Signed in as {email}" }).WaitForAsync();
        visit.Page.Url.ShouldStartWith(sample);
        (await visit.Page.Locator("[data-claim=sub]").InnerTextAsync()).ShouldBe(accountId);
        (await visit.Page.Locator("[data-claim=email]").First.InnerTextAsync()).ShouldBe(email);
        (await visit.Page.Locator("[data-claim=amr]").AllInnerTextsAsync()).ShouldBe(["pwd", "otp", "mfa"], ignoreOrder: true);
        (await visit.Page.Locator("[data-claim=acr]").InnerTextAsync()).ShouldBe("mfa");

        // A second app in the same browser: the platform session signs the person in without a password or code,
        // only this app's consent is asked.
        using var secondApp = new OidcTestClient(platform);
        using (var callbacks = new LoopbackRedirectReceiver())
        {
            await OidcProviderTests.StartAsync(visit, secondApp.AuthorizePath());
            await visit.ExpectHeadingAsync($"Allow {OidcTestClient.DisplayName}?");
            await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();
            var redeemed = await secondApp.RedeemAsync(OidcTestClient.QueryValue(await callbacks.NextAsync(visit.Page), "code")!);
            redeemed.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, await redeemed.Content.ReadAsStringAsync());
            var idToken = OidcTestClient.Decode((await AccountClient.JsonAsync(redeemed)).GetProperty("id_token").GetString()!).Payload;
            idToken.GetProperty("sub").GetString().ShouldBe(accountId);
            idToken.GetProperty("acr").GetString().ShouldBe("mfa");
        }

        // Sign out in the sample ends its cookie and, through the platform's end-session endpoint, the portal session.
        await visit.GotoAsync(sample + "/");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Sign in with AuthPlatform" }).WaitForAsync();
        visit.Page.Url.ShouldStartWith(sample);
        await visit.GotoAsync("/account");
        await visit.Page.WaitForURLAsync("**/sign-in**");
        await visit.ExpectHeadingAsync("Sign in");
    }
}
