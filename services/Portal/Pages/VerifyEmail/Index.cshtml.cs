using AuthPlatform.Security;
using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.Portal.Pages.VerifyEmail;

/// <summary>
/// The emailed "Verify email" link (PublicBaseUrl/verify-email?token=…). GET only shows the button, so link scanners
/// verify nobody; the button posts the token to POST /api/verification/email/confirm. Verified, the person signs in
/// (the address is filled in when they signed up in this browser): proving the address never signs anyone in alone.
/// </summary>
public sealed class VerifyEmailModel(PlatformApi api, SealedCookie cookies) : PortalPage
{
    public enum State { Ready, Verified, Invalid }

    public State Outcome { get; private set; }

    public string? Token { get; private set; }

    public string? Email { get; private set; }

    public IActionResult OnGet(string? token)
    {
        if (!OpaqueToken.IsWellFormed(token))
        {
            Outcome = State.Invalid;
            return PageWithStatus(StatusCodes.Status400BadRequest);
        }
        Token = token;
        Outcome = State.Ready;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? token)
    {
        if (!OpaqueToken.IsWellFormed(token))
        {
            Outcome = State.Invalid;
            return PageWithStatus(StatusCodes.Status400BadRequest);
        }
        var confirmed = await api.ConfirmEmailAsync(token!, HttpContext.RequestAborted);
        if (confirmed.Problem is { } problem)
        {
            if (problem.Is("invalid-token") || problem.Status == System.Net.HttpStatusCode.BadRequest)
            {
                Outcome = State.Invalid;
                return PageWithStatus(StatusCodes.Status400BadRequest);
            }
            Token = token;
            Outcome = State.Ready;
            return Refused(problem);
        }
        Email = cookies.Read<PendingSignUp>(HttpContext, PortalCookies.SignUp)?.Email;
        cookies.Delete(HttpContext, PortalCookies.SignUp);
        Outcome = State.Verified;
        return Page();
    }
}
