using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.Portal.Pages.SignIn;

/// <summary>
/// "Can't access two-factor device": POST /api/sessions/mfa with method recovery_code. Signed in, the account page
/// says how many codes remain and that the owner was emailed.
/// </summary>
public sealed class RecoveryModel(PlatformApi api, PortalSession session, SealedCookie cookies) : PortalPage
{
    public const int MaxCodeLength = 40;

    public string? CodeError { get; private set; }

    public IActionResult OnGet() =>
        cookies.Read<PendingSignIn>(HttpContext, PortalCookies.SignInStep) is null ? Redirect("/sign-in?notice=sign-in-expired") : Page();

    public async Task<IActionResult> OnPostAsync(string? code)
    {
        if (cookies.Read<PendingSignIn>(HttpContext, PortalCookies.SignInStep) is not { } pending)
        {
            return Redirect("/sign-in?notice=sign-in-expired");
        }
        var typed = (code ?? "").Trim();
        if (typed.Length == 0 || typed.Length > MaxCodeLength)
        {
            CodeError = "Enter one of your recovery codes.";
            FormError = "Check the code.";
            return PageWithStatus(StatusCodes.Status400BadRequest);
        }
        var completed = await api.CompleteSecondFactorAsync(pending.MfaToken, FactorMethod.RecoveryCode, typed, HttpContext.RequestAborted);
        if (completed.Problem is { } problem && (problem.Is("invalid-code") || problem.Status == System.Net.HttpStatusCode.Unauthorized))
        {
            CodeError = "That recovery code is not right, or it was used already. Check it and try again.";
            return RefusedBy(problem);
        }
        return await TwoFactorModel.FinishAsync(completed, pending, session, cookies, HttpContext, error => CodeError = error, this,
            notice: "recovery-code-used");
    }
}
