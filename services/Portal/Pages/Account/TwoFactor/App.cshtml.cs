using Microsoft.AspNetCore.Mvc;
using QRCoder;

namespace AuthPlatform.Portal.Pages.Account.TwoFactor;

/// <summary>
/// Authenticator-app setup: the QR code of the otpauth URI as an image served by the portal (so Safari's "Set up
/// verification code" and iCloud Keychain recognise it), the key in groups of four, and the first code
/// (POST /api/mfa/totp/confirm) leading to the recovery codes. When 2FA is on (reconfigure), a current code comes
/// first (POST /api/mfa/totp with currentCode); the old factor works until the new one is confirmed.
/// </summary>
public sealed class AuthenticatorSetupModel(PlatformApi api, SealedCookie cookies) : FactorSetupPage<PendingAuthenticator>(api, cookies)
{
    public const string PagePath = "/account/two-factor/app";

    protected override string Path => PagePath;

    protected override string SetupCookie => AccountSteps.AuthenticatorSetupCookie;

    protected override string CodeMissing => "Enter the six-digit code your app shows.";

    /// <summary>The key as a person types it: groups of four.</summary>
    public string GroupedKey => Pending is null ? "" : string.Join(' ', Pending.Secret.Chunk(4).Select(group => new string(group)));

    /// <summary>The QR code of the pending setup's otpauth URI (no token, no secret in its address).</summary>
    public IActionResult OnGetQr()
    {
        if (Cookies.Read<PendingAuthenticator>(HttpContext, SetupCookie) is not { } setup)
        {
            return NotFound();
        }
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(setup.OtpauthUri, QRCodeGenerator.ECCLevel.M);
        return File(new PngByteQRCode(data).GetGraphic(6), "image/png");
    }

    public async Task<IActionResult> OnPostStartAsync(string? currentCode)
    {
        if (await StatusAsync() is { } leave)
        {
            return leave;
        }
        var code = currentCode is null ? null : CurrentCode(currentCode);
        if (Reconfiguring && code is null)
        {
            CodeError = "Enter the six-digit code from your current app, or one of your recovery codes.";
            FormError = "Check the highlighted field.";
            return PageWithStatus(StatusCodes.Status400BadRequest);
        }
        var started = await Api.StartAuthenticatorSetupAsync((await AccessTokenAsync())!, Reconfiguring ? code : null, HttpContext.RequestAborted);
        if (started.Value is not { } setup)
        {
            CodeError = Reconfiguring && IsAboutTheCode(started.Problem!) ? AccountMessages.For(started.Problem!) : null;
            return Leave(started.Problem!, Path) ?? Shown(started.Problem!);
        }
        Cookies.Write(HttpContext, SetupCookie, new PendingAuthenticator(setup.OtpauthUri, setup.Secret),
            TimeSpan.FromSeconds(setup.SetupExpiresIn));
        return Redirect(Path);
    }

    protected override Task<ApiResult<RecoveryCodesResponse>> ConfirmAsync(string accessToken, string digits) =>
        Api.ConfirmAuthenticatorAsync(accessToken, digits, HttpContext.RequestAborted);
}
