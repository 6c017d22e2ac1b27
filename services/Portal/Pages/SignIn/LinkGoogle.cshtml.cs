using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Portal.Pages.SignIn;

/// <summary>
/// Google vouched for an address that already has an account: its owner proves it is theirs by signing in with the
/// password once (and the second factor when it is on); then POST /api/accounts/me/external-identities links Google.
/// Until then Google's word alone opens nothing.
/// </summary>
public sealed class LinkGoogleModel(PlatformApi api, SealedCookie cookies, BrowserSignIn passwords) : PortalPage
{
    public const string Path = "/sign-in/link-google";

    /// <summary>Where the code page returns to when the account has 2FA: this page's finish handler.</summary>
    public const string FinishPath = Path + "?handler=finish";

    public string Email { get; private set; } = "";

    public string? PasswordError { get; private set; }

    public IActionResult OnGet()
    {
        if (Pending() is not { } pending)
        {
            return Redirect("/sign-in?google=expired");
        }
        Email = pending.Email;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? password)
    {
        if (Pending() is not { } pending)
        {
            return Redirect("/sign-in?google=expired");
        }
        Email = pending.Email;
        if (string.IsNullOrEmpty(password) || password.Length > FieldLimits.Password)
        {
            PasswordError = string.IsNullOrEmpty(password) ? "Enter your password." : "That password is too long.";
            FormError = "Check the highlighted field.";
            return PageWithStatus(StatusCodes.Status400BadRequest);
        }
        var result = await passwords.SignInAsync(HttpContext, pending.Email, password, FinishPath);
        if (result.Problem is { } problem)
        {
            return Refused(problem);
        }
        return result.SecondFactorDue ? Redirect("/sign-in/two-factor") : await LinkAsync(pending, result.AccessToken!);
    }

    /// <summary>After the code page: the session has just proven the password and the second factor.</summary>
    public async Task<IActionResult> OnGetFinishAsync()
    {
        if (Pending() is not { } pending)
        {
            return Redirect("/sign-in?google=expired");
        }
        Email = pending.Email;
        if (await PortalSession.AccessTokenOf(HttpContext) is not { } accessToken)
        {
            return Redirect("/sign-in?notice=session-ended");
        }
        return await LinkAsync(pending, accessToken);
    }

    /// <param name="accessToken">The session's, just issued (the cookie that carries it reaches the portal only with the next request).</param>
    private async Task<IActionResult> LinkAsync(PendingGoogleLink pending, string accessToken)
    {
        var linked = await api.LinkExternalIdentityAsync(accessToken, pending.LinkToken, HttpContext.RequestAborted);
        cookies.Delete(HttpContext, PortalCookies.Link);
        if (linked.Problem is { } problem)
        {
            // Signed in with the password all the same; the page says why Google is not linked.
            return Redirect($"/account?notice={(problem.Is("identity-already-linked") ? "google-already-linked" : "google-not-linked")}");
        }
        return Redirect(pending.ReturnUrl == "/account" ? "/account?notice=google-linked" : pending.ReturnUrl);
    }

    private PendingGoogleLink? Pending() => cookies.Read<PendingGoogleLink>(HttpContext, PortalCookies.Link);
}
