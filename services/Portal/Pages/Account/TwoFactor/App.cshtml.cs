using Microsoft.AspNetCore.Mvc;
using QRCoder;

namespace AuthPlatform.Portal.Pages.Account.TwoFactor;

/// <summary>
/// Authenticator-app setup: the QR code of the otpauth URI as an image served by the portal (so Safari's "Set up
/// verification code" and iCloud Keychain recognise it), the key in groups of four, and the first code
/// (POST /api/mfa/totp/confirm) leading to the recovery codes. When 2FA is on (reconfigure), a current code comes
/// first (POST /api/mfa/totp with currentCode); the old factor works until the new one is confirmed.
/// </summary>
public sealed class AuthenticatorSetupModel(PlatformApi api, SealedCookie cookies) : AccountPage
{
    public const string Path = "/account/two-factor/app";

    public PendingAuthenticator? Setup { get; private set; }

    public bool Reconfiguring { get; private set; }

    public string? CodeError { get; private set; }

    /// <summary>The key as a person types it: groups of four.</summary>
    public string GroupedKey => Setup is null ? "" : string.Join(' ', Setup.Secret.Chunk(4).Select(group => new string(group)));

    public async Task<IActionResult> OnGetAsync()
    {
        Setup = cookies.Read<PendingAuthenticator>(HttpContext, AccountSteps.AuthenticatorSetupCookie);
        return Setup is null ? await StatusAsync() ?? Page() : Page();
    }

    /// <summary>The QR code of the pending setup's otpauth URI (no token, no secret in its address).</summary>
    public IActionResult OnGetQr()
    {
        if (cookies.Read<PendingAuthenticator>(HttpContext, AccountSteps.AuthenticatorSetupCookie) is not { } setup)
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
        var started = await api.StartAuthenticatorSetupAsync((await AccessTokenAsync())!, Reconfiguring ? code : null, HttpContext.RequestAborted);
        if (started.Value is not { } setup)
        {
            CodeError = Reconfiguring && IsAboutTheCode(started.Problem!) ? AccountMessages.For(started.Problem!) : null;
            return Leave(started.Problem!, Path) ?? Shown(started.Problem!);
        }
        cookies.Write(HttpContext, AccountSteps.AuthenticatorSetupCookie, new PendingAuthenticator(setup.OtpauthUri, setup.Secret), AccountSteps.SetupLifetime);
        return Redirect(Path);
    }

    public async Task<IActionResult> OnPostConfirmAsync(string? code)
    {
        Setup = cookies.Read<PendingAuthenticator>(HttpContext, AccountSteps.AuthenticatorSetupCookie);
        if (Setup is null)
        {
            FormError = AccountMessages.For(new ApiProblem(System.Net.HttpStatusCode.BadRequest, "no-pending-setup", null, null));
            return await StatusAsync() ?? PageWithStatus(StatusCodes.Status400BadRequest);
        }
        if (SixDigits(code) is not { } digits)
        {
            CodeError = "Enter the six-digit code your app shows.";
            FormError = "Check the highlighted field.";
            return PageWithStatus(StatusCodes.Status400BadRequest);
        }
        if (await AccessTokenAsync() is not { } accessToken)
        {
            return SessionEnded();
        }
        var confirmed = await api.ConfirmAuthenticatorAsync(accessToken, digits, HttpContext.RequestAborted);
        if (confirmed.Value is not { } codes)
        {
            if (confirmed.Problem!.Is("no-pending-setup"))
            {
                cookies.Delete(HttpContext, AccountSteps.AuthenticatorSetupCookie);
                Setup = null;
            }
            CodeError = IsAboutTheCode(confirmed.Problem!) ? AccountMessages.For(confirmed.Problem!) : null;
            return Leave(confirmed.Problem!, Path) ?? Shown(confirmed.Problem!);
        }
        cookies.Delete(HttpContext, AccountSteps.AuthenticatorSetupCookie);
        cookies.Write(HttpContext, AccountSteps.RecoveryCodesCookie, new FreshRecoveryCodes(codes.RecoveryCodes, TwoFactorJustTurnedOn: true),
            AccountSteps.ShownOnceLifetime);
        return Redirect(RecoveryCodesModel.Path);
    }

    private async Task<IActionResult?> StatusAsync()
    {
        if (await AccessTokenAsync() is not { } accessToken)
        {
            return SessionEnded();
        }
        var status = await api.GetMfaStatusAsync(accessToken, HttpContext.RequestAborted);
        if (status.Problem is { } problem)
        {
            return Leave(problem, Path) ?? Shown(problem);
        }
        Reconfiguring = status.Value!.Enabled;
        return null;
    }
}
