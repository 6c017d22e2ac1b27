using System.Security.Claims;
using AuthPlatform.Contracts.Internal;
using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.Portal.Pages.Connect;

/// <summary>
/// RP-initiated logout (docs/oidc.md): account's /connect/endsession, given an app's valid id_token_hint, sends the
/// browser here first; the portal session ends when the hint names the person signed in here (so a link elsewhere
/// cannot sign someone out), and the browser goes back to /connect/endsession, which returns to the app's
/// post_logout_redirect_uri. The hint's signature is checked here too: the browser can be sent here directly.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class EndSessionModel(PortalSession session, IdTokenHints hints) : PortalPage
{
    public async Task<IActionResult> OnGetAsync()
    {
        if ((Request.QueryString.Value?.Length ?? 0) > MaxReturnUrlLength)
        {
            FormError = "This sign-out request is too long. Go back to the app and try again.";
            return PageWithStatus(StatusCodes.Status400BadRequest);
        }
        var signedIn = User.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        if (signedIn is not null && signedIn == await hints.SubjectAsync(Request.Query["id_token_hint"], HttpContext.RequestAborted))
        {
            await session.EndAsync(HttpContext);
        }
        Response.Cookies.Append(AuthorizationHandoffCalls.EndSessionCookie, "1", new CookieOptions
        {
            Path = AuthorizationHandoffCalls.EndSessionPath,
            HttpOnly = true,
            Secure = Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            MaxAge = TimeSpan.FromMinutes(1),
            IsEssential = true,
        });
        return Redirect(AuthorizationHandoffCalls.EndSessionPath + Request.QueryString);
    }
}
