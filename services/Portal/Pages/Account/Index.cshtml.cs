using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.Portal.Pages.Account;

/// <summary>The account page: GET /api/accounts/me and GET /api/mfa with the session's access token.</summary>
public sealed class AccountModel(PlatformApi api) : PortalPage
{
    public string Email { get; private set; } = "";

    public MfaStatus? Mfa { get; private set; }

    public bool RecoveryCodeUsed { get; private set; }

    public IReadOnlyList<ConnectedApp> ConnectedApps { get; private set; } = [];

    public IReadOnlyList<PasskeyView> Passkeys { get; private set; } = [];

    public int RecoveryCodesRemaining => Mfa?.RecoveryCodesRemaining ?? 0;

    /// <summary>The password and the linked Google identities; null when the API did not answer.</summary>
    public SignInMethodsView? SignInMethods { get; private set; }

    /// <summary>What just happened to a linked identity (linked, unlinked, not linked and why).</summary>
    public string? Notice { get; private set; }

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
        SignInMethods = (await api.ListSignInMethodsAsync(accessToken, HttpContext.RequestAborted)).Value;
        if (Mfa is { Passkeys: > 0 })
        {
            Passkeys = (await api.ListPasskeysAsync(accessToken, HttpContext.RequestAborted)).Value ?? [];
        }
        Notice = notice switch
        {
            "google-linked" => "Your Google account is linked: you can now sign in with Google.",
            "google-unlinked" => "Google is unlinked from your account.",
            _ => null,
        };
        FormError ??= notice switch
        {
            "google-not-linked" => "You are signed in, but Google was not linked: that request expired. Sign in with Google again to link it.",
            "google-already-linked" => "You are signed in, but that Google account is already linked to an account.",
            _ => null,
        };
        return Page();
    }

    /// <summary>Unlink: DELETE /api/accounts/me/external-identities/{id}; refused when it is the last way to sign in.</summary>
    public async Task<IActionResult> OnPostUnlinkAsync(Guid id)
    {
        var accessToken = await PortalSession.AccessTokenOf(HttpContext);
        if (accessToken is null)
        {
            return Redirect("/sign-in?notice=session-ended");
        }
        var unlinked = await api.UnlinkExternalIdentityAsync(accessToken, id, HttpContext.RequestAborted);
        if (unlinked.Problem is { } problem)
        {
            if (problem.Is("session-ended") || problem.Status == System.Net.HttpStatusCode.Unauthorized)
            {
                return Redirect("/sign-in?notice=session-ended");
            }
            var shown = await OnGetAsync(null);
            FormError = problem.Is("last-sign-in-method")
                ? "Google is the only way to sign in to this account, so it cannot be unlinked. Set a password first (use \"Forgot your password?\" on the sign-in page), then unlink Google."
                : ProblemMessages.For(problem);
            HttpContext.Response.StatusCode = (int)problem.Status is >= 400 and < 600 ? (int)problem.Status : 400;
            return shown;
        }
        return Redirect("/account?notice=google-unlinked");
    }
}
