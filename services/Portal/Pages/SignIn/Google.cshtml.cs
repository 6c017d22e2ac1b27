using AuthPlatform.Portal.ExternalSignIn;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Portal.Pages.SignIn;

/// <summary>"Sign in with Google": leaves for Google (state, nonce and PKCE made by the OpenID Connect handler).</summary>
public sealed class GoogleModel(IOptions<GoogleOptions> google) : PortalPage
{
    public IActionResult OnGet(string? returnUrl)
    {
        if (!google.Value.Enabled)
        {
            return Redirect("/sign-in");
        }
        var done = $"{GoogleSignIn.DonePath}?returnUrl={Uri.EscapeDataString(SafeReturnUrl(returnUrl))}";
        return Challenge(new AuthenticationProperties { RedirectUri = done }, GoogleSignIn.Scheme);
    }
}
