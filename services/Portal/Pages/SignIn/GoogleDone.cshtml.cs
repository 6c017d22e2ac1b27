using AuthPlatform.Contracts.Internal;
using AuthPlatform.Portal.ExternalSignIn;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Portal.Pages.SignIn;

/// <summary>
/// Back from Google with a validated ID token (in the short external cookie): account decides through
/// POST /internal/external-sign-in. Signed in → the return URL; our 2FA on → the code page (the same second step as
/// after a password); an existing account not linked yet → its password first (<see cref="LinkGoogleModel"/>);
/// anything else → the sign-in page with a sentence.
/// </summary>
public sealed class GoogleDoneModel(ExternalSignInClient account, PortalSession session, SealedCookie cookies, IOptions<PortalOptions> options)
    : PortalPage
{
    public async Task<IActionResult> OnGetAsync(string? returnUrl)
    {
        var returnTo = SafeReturnUrl(returnUrl);
        var external = await HttpContext.AuthenticateAsync(GoogleSignIn.ExternalScheme);
        await HttpContext.SignOutAsync(GoogleSignIn.ExternalScheme);
        if (GoogleSignIn.PersonOf(external.Principal) is not { } person)
        {
            return Redirect($"/sign-in?google={GoogleMessages.Expired}");
        }
        var answer = await account.SignInAsync(new ExternalSignInRequest(ExternalSignInCalls.Google, person.Subject, person.Email, person.EmailVerified),
            HttpContext.Connection.RemoteIpAddress?.ToString(), HttpContext.RequestAborted);
        if (answer.Value is not { } outcome)
        {
            return Redirect($"/sign-in?google={(answer.Problem!.Is("provider-email-not-verified") ? GoogleMessages.Unverified : GoogleMessages.Unavailable)}");
        }
        switch (outcome.Result)
        {
            case ExternalSignInResults.SignedIn when outcome is { AccessToken: { } accessToken, ExpiresIn: { } expiresIn }:
                if (await session.StartAsync(HttpContext, accessToken, outcome.RefreshToken, expiresIn) is not null)
                {
                    return Redirect($"/sign-in?google={GoogleMessages.Unavailable}");
                }
                return LocalRedirect(returnTo);
            case ExternalSignInResults.MfaRequired when outcome.MfaToken is { } mfaToken:
                cookies.Write(HttpContext, PortalCookies.SignInStep, new PendingSignIn(mfaToken, outcome.Methods ?? [FactorMethod.Totp], returnTo),
                    options.Value.SignInStepLifetime);
                return Redirect("/sign-in/two-factor");
            case ExternalSignInResults.LinkRequired when outcome is { LinkToken: { } linkToken, Email: { } email }:
                cookies.Write(HttpContext, PortalCookies.Link, new PendingGoogleLink(linkToken, email, returnTo), options.Value.SignInStepLifetime);
                return Redirect(LinkGoogleModel.Path);
            default:
                return Redirect($"/sign-in?google={GoogleMessages.Unavailable}");
        }
    }
}
