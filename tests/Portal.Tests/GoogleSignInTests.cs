namespace AuthPlatform.Portal.Tests;

/// <summary>
/// "Sign in with Google" in Chromium, through the gateway, against <see cref="FakeGoogle"/>: a new Google user gets an
/// account at once; an existing account is linked only after its password; an address Google has not verified
/// neither links nor creates; an answer for another sign-in (state, nonce) is refused with a sentence; our 2FA is
/// still asked after Google; Google cannot be unlinked while it is the only way in.
/// </summary>
public sealed class GoogleSignInTests(PortalPlatform platform, BrowserFixture browser)
{
    private const string OnlyWayIn = "Google is the only way to sign in to this account, so it cannot be unlinked.";
    private const string Mismatch = "Google sign-in could not be completed: the answer from Google did not match the sign-in this browser started. Please try again.";

    private readonly AccountClient _accounts = new(platform);
    private readonly TwoFactorSetup _twoFactor = new(platform);

    [Fact]
    public async Task A_new_Google_user_gets_an_account_at_once_from_the_sign_up_page()
    {
        var email = PlatformFixture.NewEmail("google-new");
        await using var visit = await BrowserVisit.StartAsync(platform, browser);
        await platform.Google.SignInAsAsync(visit.Context, GoogleUser.New(email));

        await visit.GotoAsync("/sign-up");
        await visit.StepAsync("sign-up-with-google-button");
        await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Google" }).ClickAsync();

        await visit.Page.WaitForURLAsync("**/account");
        await visit.ExpectHeadingAsync("Your account");
        (await visit.Page.Locator("#account-email").InnerTextAsync()).ShouldBe(email);
        (await visit.Page.Locator("#password-method").InnerTextAsync()).ShouldContain("No password yet");
        (await visit.Page.Locator(".linked-identity").InnerTextAsync()).ShouldContain($"Google: {email}");
        await visit.StepAsync("account-made-by-google");

        // The handler asked with PKCE (S256) and a nonce, as Google expects of a confidential web client.
        var asked = platform.Google.AuthorizationRequests[^1];
        asked.CodeChallengeMethod.ShouldBe("S256");
        asked.Nonce.ShouldNotBeNullOrEmpty();
        asked.State.ShouldNotBeNullOrEmpty();
        asked.RedirectUri.ShouldBe(platform.Fleet.PublicBaseUrl + "/signin-google");
        asked.Scope.Split(' ').ShouldBe(["openid", "email", "profile"], ignoreOrder: true);

        // The session says how it was proven: Google (amr "google"), no password.
        await visit.GotoAsync("/account/sessions");
        (await visit.MainTextAsync()).ShouldContain("with Google.");

        // No password to sign in with: the form refuses any, like a wrong one.
        await using var other = await BrowserVisit.StartAsync(platform, browser);
        await other.SubmitSignInAsync(email, AccountClient.GoodPassword);
        (await other.Page.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldBe("That email and password do not match an account. Check both and try again.");
    }

    [Fact]
    public async Task An_existing_account_is_linked_only_after_its_password_and_then_Google_signs_it_in()
    {
        var (email, _) = await _accounts.CreateVerifiedAccountAsync("google-link");
        var google = GoogleUser.New(email);
        await using var visit = await BrowserVisit.StartAsync(platform, browser);
        await platform.Google.SignInAsAsync(visit.Context, google);

        await visit.GotoAsync("/sign-in");
        await visit.StepAsync("sign-in-with-google-button");
        await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Google" }).ClickAsync();
        await visit.ExpectHeadingAsync("Link your Google account");
        (await visit.Page.Locator("#link-email").InnerTextAsync()).ShouldBe(email);
        await visit.StepAsync("link-asks-password");

        // Google's word alone opened nothing.
        await using (var peek = await BrowserVisit.StartAsync(platform, browser))
        {
            await peek.GotoAsync("/account");
            peek.Page.Url.ShouldContain("/sign-in");
        }
        await visit.Page.GetByLabel("Password", new() { Exact = true }).FillAsync("not the password at all");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Link Google and sign in" }).ClickAsync();
        (await visit.Page.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldBe("That email and password do not match an account. Check both and try again.");
        await visit.StepAsync("link-wrong-password");

        await visit.Page.GetByLabel("Password", new() { Exact = true }).FillAsync(AccountClient.GoodPassword);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Link Google and sign in" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account?notice=google-linked");
        (await visit.Page.Locator("#account-notice").InnerTextAsync()).ShouldBe("Your Google account is linked: you can now sign in with Google.");
        (await visit.Page.Locator(".linked-identity").InnerTextAsync()).ShouldContain($"Google: {email}");
        (await visit.Page.Locator("#password-method").InnerTextAsync()).ShouldBe("Password");
        await visit.StepAsync("google-linked");

        // Another browser: Google alone now signs the account in.
        await using var later = await BrowserVisit.StartAsync(platform, browser);
        await platform.Google.SignInAsAsync(later.Context, google);
        await later.GotoAsync("/sign-in");
        await later.Page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Google" }).ClickAsync();
        await later.Page.WaitForURLAsync("**/account");
        (await later.Page.Locator("#account-email").InnerTextAsync()).ShouldBe(email);
    }

    [Fact]
    public async Task An_address_Google_has_not_verified_neither_links_nor_creates_an_account()
    {
        var (existing, _) = await _accounts.CreateVerifiedAccountAsync("google-unverified-existing");
        await using var visit = await BrowserVisit.StartAsync(platform, browser);
        await platform.Google.SignInAsAsync(visit.Context, GoogleUser.New(existing, emailVerified: false));

        await visit.GotoAsync("/sign-in");
        await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Google" }).ClickAsync();
        await visit.ExpectHeadingAsync("Sign in");
        (await visit.Page.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldStartWith("Google has not verified the email address of that Google account");
        await visit.StepAsync("google-unverified");
        await visit.GotoAsync("/account");
        visit.Page.Url.ShouldContain("/sign-in");

        // A new address, unverified: refused too, and no account was made for it (a verified sign-in later creates one).
        var fresh = PlatformFixture.NewEmail("google-unverified-new");
        await using var second = await BrowserVisit.StartAsync(platform, browser);
        await platform.Google.SignInAsAsync(second.Context, GoogleUser.New(fresh, emailVerified: false));
        await second.GotoAsync("/sign-in");
        await second.Page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Google" }).ClickAsync();
        (await second.Page.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldStartWith("Google has not verified the email address");

        await using var third = await BrowserVisit.StartAsync(platform, browser);
        await platform.Google.SignInAsAsync(third.Context, GoogleUser.New(fresh));
        await third.GotoAsync("/sign-in");
        await third.Page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Google" }).ClickAsync();
        await third.Page.WaitForURLAsync("**/account");
        (await third.Page.Locator("#password-method").InnerTextAsync()).ShouldContain("No password yet");
    }

    [Fact]
    public async Task An_answer_for_another_sign_in_state_or_nonce_is_refused_with_a_sentence()
    {
        var email = PlatformFixture.NewEmail("google-mismatch");
        await using var visit = await BrowserVisit.StartAsync(platform, browser);
        await platform.Google.SignInAsAsync(visit.Context, GoogleUser.New(email) with { WrongState = true });

        await visit.GotoAsync("/sign-in");
        await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Google" }).ClickAsync();
        await visit.ExpectHeadingAsync("Sign in");
        (await visit.Page.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldBe(Mismatch);
        await visit.StepAsync("google-state-mismatch");

        await platform.Google.SignInAsAsync(visit.Context, GoogleUser.New(email) with { WrongNonce = true });
        await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Google" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/sign-in?google=failed");
        (await visit.Page.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldBe(Mismatch);

        // A callback nobody started (a forged link): the same sentence, no error page.
        var forged = await visit.GotoAsync("/signin-google?code=stolen&state=forged");
        forged!.Status.ShouldBe(200);
        (await visit.Page.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldBe(Mismatch);

        // None of it signed anyone in, or made an account: Google now, honestly, makes a new one.
        await visit.GotoAsync("/account");
        visit.Page.Url.ShouldContain("/sign-in");
        await platform.Google.SignInAsAsync(visit.Context, GoogleUser.New(email));
        await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Google" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account");
        (await visit.Page.Locator("#password-method").InnerTextAsync()).ShouldContain("No password yet");
    }

    [Fact]
    public async Task With_our_2FA_on_Google_is_only_the_first_step_and_the_code_is_still_asked()
    {
        var account = await _twoFactor.WithAuthenticatorAppAsync("google-2fa");
        var google = GoogleUser.New(account.Email);
        await using var visit = await BrowserVisit.StartAsync(platform, browser);
        await platform.Google.SignInAsAsync(visit.Context, google);

        // Linking: the password, then the code, then Google is linked.
        await visit.GotoAsync("/sign-in");
        await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Google" }).ClickAsync();
        await visit.ExpectHeadingAsync("Link your Google account");
        await visit.Page.GetByLabel("Password", new() { Exact = true }).FillAsync(account.Password);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Link Google and sign in" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/sign-in/two-factor");
        await visit.Page.GetByLabel("Six-digit code").FillAsync(await account.App!.NextCodeAsync());
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account?notice=google-linked");
        (await visit.Page.Locator(".linked-identity").InnerTextAsync()).ShouldContain($"Google: {account.Email}");

        // Signing in with Google now: our code page comes next, never the account.
        await using var later = await BrowserVisit.StartAsync(platform, browser);
        await platform.Google.SignInAsAsync(later.Context, google);
        await later.GotoAsync("/sign-in");
        await later.Page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Google" }).ClickAsync();
        await later.Page.WaitForURLAsync("**/sign-in/two-factor");
        await later.ExpectHeadingAsync("Two-factor authentication");
        await later.StepAsync("google-then-two-factor");
        await later.GotoAsync("/account");
        later.Page.Url.ShouldContain("/sign-in");

        await later.GotoAsync("/sign-in/two-factor");
        await later.Page.GetByLabel("Six-digit code").FillAsync(await account.App.NextCodeAsync());
        await later.Page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await later.Page.WaitForURLAsync("**/account");
        // amr: google, otp, mfa.
        await later.GotoAsync("/account/sessions");
        (await later.MainTextAsync()).ShouldContain("with Google and authenticator app.");
    }

    [Fact]
    public async Task Google_cannot_be_unlinked_while_it_is_the_only_way_in_and_can_once_a_password_is_set()
    {
        var email = PlatformFixture.NewEmail("google-unlink");
        var google = GoogleUser.New(email);
        await using var visit = await BrowserVisit.StartAsync(platform, browser);
        await platform.Google.SignInAsAsync(visit.Context, google);
        await visit.GotoAsync("/sign-in");
        await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Google" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account");

        await visit.Page.GetByRole(AriaRole.Button, new() { Name = $"Unlink Google account {email}" }).ClickAsync();
        (await visit.Page.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldStartWith(OnlyWayIn);
        (await visit.Page.Locator(".linked-identity").InnerTextAsync()).ShouldContain($"Google: {email}");
        await visit.StepAsync("unlink-refused-last-way-in");

        // "Forgot your password?" sets the first password.
        const string password = "lanterns over the winter canal";
        await visit.Page.Context.ClearCookiesAsync();
        await visit.GotoAsync("/forgot-password");
        await visit.Page.GetByLabel("Email address").FillAsync(email);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Send the link" }).ClickAsync();
        await visit.ExpectHeadingAsync("Check your email");
        var link = (await platform.Mailbox.WaitForAsync(email, "Reset your AuthPlatform password"))
            .LinkStartingWith(platform.Fleet.PublicBaseUrl + "/reset-password?token=");
        await visit.GotoAsync(link);
        await visit.Page.GetByLabel("New password").FillAsync(password);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await visit.ExpectHeadingAsync("Sign in");

        await visit.SubmitSignInAsync(email, password, open: false);
        await visit.Page.WaitForURLAsync("**/account");
        (await visit.Page.Locator("#password-method").InnerTextAsync()).ShouldBe("Password");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = $"Unlink Google account {email}" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account?notice=google-unlinked");
        (await visit.Page.Locator("#account-notice").InnerTextAsync()).ShouldBe("Google is unlinked from your account.");
        (await visit.Page.Locator(".linked-identity").CountAsync()).ShouldBe(0);
        await visit.StepAsync("google-unlinked");

        // Unlinked means Google alone no longer opens it: the password is asked again to link.
        await using var later = await BrowserVisit.StartAsync(platform, browser);
        await platform.Google.SignInAsAsync(later.Context, google);
        await later.GotoAsync("/sign-in");
        await later.Page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Google" }).ClickAsync();
        await later.ExpectHeadingAsync("Link your Google account");
    }
}
