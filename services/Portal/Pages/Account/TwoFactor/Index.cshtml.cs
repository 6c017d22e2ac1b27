using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.Portal.Pages.Account.TwoFactor;

/// <summary>
/// "Turn on" (or "Reconfigure"): choose Authenticator App or SMS Number, then Next. With 2FA off, choosing the app
/// starts its setup at once (POST /api/mfa/totp); with 2FA on, the next page asks for a current code first.
/// </summary>
public sealed class ChooseMethodModel(PlatformApi api, SealedCookie cookies) : AccountPage
{
    public const string Path = "/account/two-factor";

    public MfaStatus? Mfa { get; private set; }

    public string? MethodError { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ?? Page();

    public async Task<IActionResult> OnPostAsync(string? method)
    {
        if (await LoadAsync() is { } leave)
        {
            return leave;
        }
        cookies.Delete(HttpContext, AccountSteps.AuthenticatorSetupCookie);
        cookies.Delete(HttpContext, AccountSteps.PhoneSetupCookie);
        switch (method)
        {
            case FactorMethod.Sms:
                return Redirect(PhoneSetupModel.PagePath);
            case FactorMethod.Totp when Mfa is { Enabled: true }:
                return Redirect(AuthenticatorSetupModel.PagePath);
            case FactorMethod.Totp:
                var accessToken = (await AccessTokenAsync())!;
                var started = await api.StartAuthenticatorSetupAsync(accessToken, null, HttpContext.RequestAborted);
                if (started.Value is not { } setup)
                {
                    return Leave(started.Problem!, Path) ?? Shown(started.Problem!);
                }
                cookies.Write(HttpContext, AccountSteps.AuthenticatorSetupCookie, new PendingAuthenticator(setup.OtpauthUri, setup.Secret),
                    TimeSpan.FromSeconds(setup.SetupExpiresIn));
                return Redirect(AuthenticatorSetupModel.PagePath);
            default:
                MethodError = "Choose how you want to get your codes.";
                FormError = "Check the highlighted field.";
                return PageWithStatus(StatusCodes.Status400BadRequest);
        }
    }

    private async Task<IActionResult?> LoadAsync()
    {
        (Mfa, var leave) = await MfaStatusAsync(api, Path);
        return leave;
    }
}
