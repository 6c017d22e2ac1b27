using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.Portal.Pages;

/// <summary>Sign out: DELETE /api/sessions/current revokes this session's refresh tokens, then the cookie goes.</summary>
public sealed class SignOutModel(PortalSession session, SealedCookie cookies) : PortalPage
{
    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? Page() : Redirect("/sign-in");

    public async Task<IActionResult> OnPostAsync()
    {
        await session.EndAsync(HttpContext);
        cookies.Delete(HttpContext, PortalCookies.SignInStep);
        return Redirect("/sign-in?notice=signed-out");
    }
}
