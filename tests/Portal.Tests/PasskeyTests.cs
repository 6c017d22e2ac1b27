namespace AuthPlatform.Portal.Tests;

/// <summary>
/// Passkeys in the browser, with Chromium's DevTools virtual authenticator standing in for a phone or laptop (a
/// platform authenticator that keeps discoverable credentials and verifies its user): add one on the account page,
/// sign out, sign in with it and no password (the email field's autofill), use it instead of the code after the
/// password, remove it, and find it refused afterwards ("Sign in with a passkey").
/// </summary>
public sealed class PasskeyTests(PortalPlatform platform, BrowserFixture browser)
{
    [Fact]
    public async Task A_passkey_is_added_signs_in_without_a_password_answers_the_second_step_and_is_removed()
    {
        await using var visit = await BrowserVisit.StartAsync(platform, browser);
        var email = await AccountPageSteps.SignedInAsync(platform, visit, "portal-passkey");
        var authenticator = await VirtualAuthenticator.AddAsync(visit);

        // Add: the account page links to the passkeys page; the name the owner chose is listed, device-bound.
        await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Add a passkey" }).ClickAsync();
        await visit.ExpectHeadingAsync("Passkeys");
        (await visit.Page.Locator("#no-passkeys").InnerTextAsync()).ShouldBe("You have no passkeys yet.");
        await visit.Page.GetByLabel("Name (optional)").FillAsync("Test laptop");
        await visit.StepAsync("passkeys-empty");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
        await PasskeyUsedAsync(visit, "**/account/passkeys?notice=added");
        var listed = await visit.Page.Locator("#passkey-list li").InnerTextAsync();
        listed.ShouldContain("Test laptop");
        listed.ShouldContain("On one device only");
        listed.ShouldContain("not used yet");
        await visit.StepAsync("passkey-added");
        await platform.Mailbox.WaitForAsync(email, "A passkey was added to your AuthPlatform account");

        // Sign out: the sign-in page offers the passkey in the email field's autofill (conditional UI), and the
        // authenticator, present, takes it: signed in with no email and no password.
        await SignOutAsync(visit);
        await PasskeyUsedAsync(visit, "**/account");
        (await visit.Page.Locator("#account-email").InnerTextAsync()).ShouldBe(email);
        (await visit.Page.Locator("#passkey-list li").InnerTextAsync()).ShouldContain("last used");

        // With the authenticator app on, the password's second step offers the passkey instead of the code.
        await AccountPageSteps.TurnOnAuthenticatorAppAsync(visit);
        // The person types the password instead of taking the passkey the email field's autofill offers (absent before
        // the sign-in page loads: a present authenticator answers its autofill request at once).
        await authenticator.PresentAsync(false);
        await SignOutAsync(visit);
        await visit.SubmitSignInAsync(email, AccountClient.GoodPassword, open: false);
        await visit.Page.WaitForURLAsync("**/sign-in/two-factor");
        await authenticator.PresentAsync(true);
        await visit.StepAsync("two-factor-with-passkey");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Use a passkey" }).ClickAsync();
        await PasskeyUsedAsync(visit, "**/account");

        // Remove: the owner is emailed, and the authenticator's copy no longer signs in.
        await visit.GotoAsync("/account/passkeys");
        await visit.Page.GetByText("Rename or remove \"Test laptop\"").ClickAsync();
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Remove passkey Test laptop" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account/passkeys?notice=removed");
        (await visit.Page.Locator("#no-passkeys").IsVisibleAsync()).ShouldBeTrue();
        await platform.Mailbox.WaitForAsync(email, "A passkey was removed from your AuthPlatform account");
        await authenticator.PresentAsync(false);
        await SignOutAsync(visit);
        await authenticator.PresentAsync(true);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }).ClickAsync();
        await visit.Page.Locator(".passkey-status", new() { HasText = "That passkey was not accepted" }).WaitForAsync();
        visit.Page.Url.ShouldEndWith("/sign-in?notice=signed-out");
    }

    [Fact]
    public async Task A_passkey_form_on_a_page_loaded_before_signing_in_elsewhere_says_to_reload_it()
    {
        // A sign-in page left open in one tab; the person signs in in another. The old page's form no longer matches
        // the browser's session (its anti-forgery token was for nobody), and its passkey button says what to do.
        await using var visit = await BrowserVisit.StartAsync(platform, browser);
        var stale = await visit.Context.NewPageAsync();
        await stale.GotoAsync("/sign-in");
        await AccountPageSteps.SignedInAsync(platform, visit, "stale-passkey-form");

        await stale.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }).ClickAsync();
        await stale.Locator(".passkey-status", new() { HasText = "This page is out of date" }).WaitForAsync();
        (await stale.Locator(".passkey-status").InnerTextAsync()).ShouldBe(
            "This page is out of date: you signed in or out in another tab. Reload the page and try again.");
    }

    /// <summary>The page the passkey leads to; if it never comes, what the passkey form said instead.</summary>
    private static async Task PasskeyUsedAsync(BrowserVisit visit, string url)
    {
        try
        {
            await visit.Page.WaitForURLAsync(url);
        }
        catch (TimeoutException)
        {
            var said = await visit.Page.Locator(".passkey-status").AllInnerTextsAsync();
            throw new TimeoutException($"Still on {visit.Page.Url}; the passkey form said: {string.Join(" | ", said)}");
        }
    }

    private static async Task SignOutAsync(BrowserVisit visit)
    {
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/sign-in?notice=signed-out");
    }
}

/// <summary>
/// Chromium's DevTools virtual authenticator on one page: a platform authenticator (internal transport, CTAP2) that
/// holds resident keys and verifies its user; with presence on it answers every request at once, autofill's too.
/// </summary>
public sealed class VirtualAuthenticator(ICDPSession devtools, string id)
{
    public static async Task<VirtualAuthenticator> AddAsync(BrowserVisit visit)
    {
        var devtools = await visit.Context.NewCDPSessionAsync(visit.Page);
        await devtools.SendAsync("WebAuthn.enable", new Dictionary<string, object> { ["enableUI"] = false });
        var added = await devtools.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });
        return new VirtualAuthenticator(devtools, added!.Value.GetProperty("authenticatorId").GetString()!);
    }

    /// <summary>Whether the person answers the passkey prompt (touch, face, fingerprint).</summary>
    public Task PresentAsync(bool present) => devtools.SendAsync("WebAuthn.setAutomaticPresenceSimulation",
        new Dictionary<string, object> { ["authenticatorId"] = id, ["enabled"] = present });
}
