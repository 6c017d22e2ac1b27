namespace AuthPlatform.Portal.Tests;

/// <summary>Steps the account-page tests share: signing in through the form, and turning on the authenticator app as a person would.</summary>
public static class AccountPageSteps
{
    public const string QrImage = "img.qr-code";

    /// <summary>A verified account (made through the API) signed in through the portal's form, on its account page.</summary>
    public static async Task<string> SignedInAsync(PortalPlatform platform, BrowserVisit visit, string hint)
    {
        var (email, _) = await new AccountClient(platform).CreateVerifiedAccountAsync(hint);
        await visit.GotoAsync("/sign-in");
        await visit.Page.GetByLabel("Email address").FillAsync(email);
        await visit.Page.GetByLabel("Password").FillAsync(AccountClient.GoodPassword);
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account");
        return email;
    }

    /// <summary>The QR code the setup page shows, fetched like the browser fetched it, decoded as a phone's camera would.</summary>
    public static async Task<string> ScanQrCodeAsync(BrowserVisit visit)
    {
        var image = visit.Page.Locator(QrImage);
        var source = await image.GetAttributeAsync("src");
        var png = await visit.Context.APIRequest.GetAsync(source!);
        png.Status.ShouldBe(200);
        png.Headers["content-type"].ShouldBe("image/png");
        return await QrCodes.ScanAsync(await png.BodyAsync());
    }

    /// <summary>Account page → Turn On → Authenticator App → Next → scan → code → recovery codes → I saved them.</summary>
    public static async Task<(Authenticator Phone, string[] RecoveryCodes)> TurnOnAuthenticatorAppAsync(BrowserVisit visit)
    {
        await visit.GotoAsync("/account");
        await visit.Page.GetByRole(AriaRole.Link, new() { Name = "Turn On" }).ClickAsync();
        await visit.Page.GetByLabel("Authenticator App").CheckAsync();
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        var phone = Authenticator.FromOtpauthUri(await ScanQrCodeAsync(visit));
        await visit.Page.GetByLabel("Six-digit code").FillAsync(await phone.NextCodeAsync());
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Turn on" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account/two-factor/recovery-codes");
        var codes = await RecoveryCodesOnPageAsync(visit);
        await visit.Page.GetByLabel("I saved my recovery codes somewhere safe").CheckAsync();
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "I saved them" }).ClickAsync();
        await visit.Page.WaitForURLAsync("**/account?notice=*");
        return (phone, codes);
    }

    public static async Task<string[]> RecoveryCodesOnPageAsync(BrowserVisit visit) =>
        [.. (await visit.Page.Locator("#recovery-codes li").AllInnerTextsAsync()).Select(code => code.Trim())];

    /// <summary>The sentence of the account page's two-factor state.</summary>
    public static Task<string> TwoFactorStateAsync(BrowserVisit visit) => visit.Page.Locator("#mfa-state").InnerTextAsync();

    /// <summary>The error tied to a field: its aria-describedby names a visible message, and the field is marked invalid.</summary>
    public static async Task<string> FieldErrorAsync(BrowserVisit visit, string label)
    {
        var field = visit.Page.GetByLabel(label, new() { Exact = true });
        (await field.GetAttributeAsync("aria-invalid")).ShouldBe("true");
        var describedBy = (await field.GetAttributeAsync("aria-describedby"))!.Split(' ');
        var errorId = describedBy.Single(id => id.EndsWith("-error", StringComparison.Ordinal));
        return await visit.Page.Locator($"#{errorId}").InnerTextAsync();
    }
}
