using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.Portal.Pages.Account;

/// <summary>The account page: GET /api/accounts/me and GET /api/mfa with the session's access token.</summary>
public sealed class AccountModel(PlatformApi api) : PortalPage
{
    public string Email { get; private set; } = "";

    public MfaStatus? Mfa { get; private set; }

    public bool RecoveryCodeUsed { get; private set; }

    public IReadOnlyList<AllowedApp> ConnectedApps { get; private set; } = [];

    public int RecoveryCodesRemaining => Mfa?.RecoveryCodesRemaining ?? 0;

    public async Task<IActionResult> OnGetAsync(string? notice)
    {
        var accessToken = await PortalSession.AccessTokenOf(HttpContext);
        if (accessToken is null)
        {
            return Redirect("/sign-in?notice=session-ended");
        }
        Email = User.FindFirst(PortalSession.EmailClaim)?.Value ?? "";
        var mfa = await api.GetMfaStatusAsync(accessToken, HttpContext.RequestAborted);
        if (mfa.Problem is { } problem)
        {
            if (problem.Is("session-ended"))
            {
                return Redirect("/sign-in?notice=session-ended");
            }
            FormError = ProblemMessages.For(problem);
        }
        Mfa = mfa.Value;
        ConnectedApps = (await api.ListConnectedAppsAsync(accessToken, HttpContext.RequestAborted)).Value ?? [];
        RecoveryCodeUsed = notice == "recovery-code-used" && Mfa is not null;
        return Page();
    }
}
