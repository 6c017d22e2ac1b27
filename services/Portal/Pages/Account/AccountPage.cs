using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AuthPlatform.Portal.Pages.Account;

/// <summary>
/// What every signed-in account page shares: the session's access token, and one way to answer a refusal. An ended
/// session goes to sign-in; a change that needs a recent sign-in goes to
/// <see cref="ConfirmIdentityModel"/> and comes back; anything else is a sentence on the page.
/// </summary>
public abstract class AccountPage : PortalPage
{
    public const string SessionEndedUrl = "/sign-in?notice=session-ended";

    /// <summary>The longest current code the pages pass on: a recovery code is 19 characters, a TOTP code 6.</summary>
    public const int MaxCodeLength = 64;

    /// <summary>The session's access token; null only when the cookie holds none (then the page sends the browser to sign in).</summary>
    protected Task<string?> AccessTokenAsync() => PortalSession.AccessTokenOf(HttpContext);

    protected RedirectResult SessionEnded() => Redirect(SessionEndedUrl);

    /// <summary>
    /// A refusal that leaves this page (session over, recent sign-in needed), or null when the page shows it:
    /// then <see cref="PortalPage.FormError"/> holds its sentence and the response its status.
    /// </summary>
    protected IActionResult? Leave(ApiProblem problem, string returnUrl)
    {
        if (problem.Is("session-ended") || problem.Is("invalid-refresh-token")
            || (problem.Status == HttpStatusCode.Unauthorized && problem.Kind.Length == 0))
        {
            return SessionEnded();
        }
        if (problem.Is("reauthentication-required"))
        {
            return Redirect($"{ConfirmIdentityModel.Path}?returnUrl={Uri.EscapeDataString(returnUrl)}&reason={problem.Kind}");
        }
        return null;
    }

    /// <summary>The account's two-factor state, or the result that leaves the page instead (see <see cref="Leave"/>).</summary>
    protected async Task<(MfaStatus? Status, IActionResult? Leave)> MfaStatusAsync(PlatformApi api, string returnUrl)
    {
        if (await AccessTokenAsync() is not { } accessToken)
        {
            return (null, SessionEnded());
        }
        var status = await api.GetMfaStatusAsync(accessToken, HttpContext.RequestAborted);
        return status.Problem is { } problem ? (null, Leave(problem, returnUrl) ?? Shown(problem)) : (status.Value, null);
    }

    /// <summary>The page again with the refusal's sentence (see <see cref="AccountMessages"/>).</summary>
    protected PageResult Shown(ApiProblem problem)
    {
        FormError = AccountMessages.For(problem);
        return PageWithStatus((int)problem.Status is >= 400 and < 600 ? (int)problem.Status : 400);
    }

    /// <summary>Swaps the session's access token for a fresher one (after reauthentication); the refresh token stays.</summary>
    protected async Task ReplaceAccessTokenAsync(PortalSession session, SignInResponse tokens)
    {
        var current = await HttpContext.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        if (current.Principal is null || current.Properties is null || !session.Store(current.Properties, tokens))
        {
            return;
        }
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, current.Principal, current.Properties);
    }

    /// <summary>Whether a refusal is about the code just typed (its sentence then sits next to the code field).</summary>
    protected static bool IsAboutTheCode(ApiProblem problem) =>
        problem.Is("invalid-code") || problem.Is("invalid-request") || problem.Is("too-many-attempts") || problem.Is("current-code-required");

    /// <summary>A six-digit code as typed ("123 456", "123-456" too), or null when it is not one.</summary>
    public static string? SixDigits(string? typed)
    {
        var digits = (typed ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        return digits.Length == 6 && digits.All(char.IsAsciiDigit) ? digits : null;
    }

    /// <summary>A current code: six digits, or a recovery code (letters, digits and dashes); null when it is neither.</summary>
    public static string? CurrentCode(string? typed)
    {
        var code = (typed ?? "").Trim();
        return code.Length is > 0 and <= MaxCodeLength && code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or ' ') ? code : null;
    }
}
