using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.Portal.Pages.Account;

/// <summary>
/// "Confirm it's you": changes to factors and keys need a sign-in at most 10 minutes old, so an older session proves
/// the password again, and the code when 2FA is on (POST /api/sessions/reauthenticate); the fresher access token
/// replaces the session's, and the person goes back to what they were doing.
/// </summary>
public sealed class ConfirmIdentityModel(PlatformApi api, PortalSession session) : AccountPage
{
    public const string Path = "/account/confirm-identity";

    public MfaStatus? Mfa { get; private set; }

    public string ReturnUrl { get; private set; } = "/account";

    public string? PasswordError { get; private set; }

    public string? CodeError { get; private set; }

    public string CodeHint => Mfa?.Method == FactorMethod.Sms
        ? "Two-factor authentication is on: enter one of your recovery codes."
        : "Two-factor authentication is on: enter the six-digit code your app shows now, or a recovery code.";

    public async Task<IActionResult> OnGetAsync(string? returnUrl)
    {
        ReturnUrl = SafeReturnUrl(returnUrl);
        return await LoadAsync() ?? Page();
    }

    public async Task<IActionResult> OnPostAsync(string? password, string? code, string? returnUrl)
    {
        ReturnUrl = SafeReturnUrl(returnUrl);
        if (await LoadAsync() is { } leave)
        {
            return leave;
        }
        if (string.IsNullOrEmpty(password))
        {
            PasswordError = "Enter your password.";
        }
        else if (password.Length > FieldLimits.Password)
        {
            PasswordError = "That password is too long.";
        }
        var current = Mfa is { Enabled: true } ? CurrentCode(code) : null;
        if (Mfa is { Enabled: true } && current is null)
        {
            CodeError = "Enter a code.";
        }
        if (PasswordError is not null || CodeError is not null)
        {
            FormError = "Check the highlighted fields.";
            return PageWithStatus(StatusCodes.Status400BadRequest);
        }
        var sixDigits = SixDigits(current);
        var proof = current is null
            ? new ReauthenticateRequest(password!)
            : new ReauthenticateRequest(password!, sixDigits is not null && Mfa!.Method == FactorMethod.Totp ? FactorMethod.Totp : FactorMethod.RecoveryCode,
                sixDigits ?? current);
        var proven = await api.ReauthenticateAsync((await AccessTokenAsync())!, proof, HttpContext.RequestAborted);
        if (proven.Value is not { } tokens)
        {
            var problem = proven.Problem!;
            if (problem.Is("invalid-credentials"))
            {
                PasswordError = AccountMessages.For(problem);
            }
            else if (IsAboutTheCode(problem) || problem.Is("second-factor-required"))
            {
                CodeError = AccountMessages.For(problem);
            }
            return Leave(problem, ReturnUrl) ?? Shown(problem);
        }
        await ReplaceAccessTokenAsync(session, tokens);
        return LocalRedirect(ReturnUrl);
    }

    private async Task<IActionResult?> LoadAsync()
    {
        (Mfa, var leave) = await MfaStatusAsync(api, ReturnUrl);
        return leave;
    }
}
