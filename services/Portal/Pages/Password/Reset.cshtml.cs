using AuthPlatform.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.Portal.Pages.Password;

/// <summary>
/// The emailed reset link (PublicBaseUrl/reset-password?token=…): the form for the new password, posted to
/// POST /api/accounts/password-reset/confirm, which ends every session. This browser is signed out too, then signs in.
/// </summary>
public sealed class ResetModel(PlatformApi api) : PortalPage
{
    public string? Token { get; private set; }

    public bool LinkInvalid { get; private set; }

    public string? PasswordError { get; private set; }

    public IActionResult OnGet(string? token)
    {
        if (!OpaqueToken.IsWellFormed(token))
        {
            LinkInvalid = true;
            return PageWithStatus(StatusCodes.Status400BadRequest);
        }
        Token = token;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? token, string? newPassword)
    {
        if (!OpaqueToken.IsWellFormed(token))
        {
            LinkInvalid = true;
            return PageWithStatus(StatusCodes.Status400BadRequest);
        }
        Token = token;
        if (string.IsNullOrEmpty(newPassword) || newPassword.Length > FieldLimits.Password)
        {
            PasswordError = string.IsNullOrEmpty(newPassword) ? "Choose a new password." : "That password is too long.";
            FormError = "Check the highlighted field.";
            return PageWithStatus(StatusCodes.Status400BadRequest);
        }
        var reset = await api.ResetPasswordAsync(token!, newPassword, HttpContext.RequestAborted);
        if (reset.Problem is { } problem)
        {
            if (problem.Is("invalid-token"))
            {
                LinkInvalid = true;
                return PageWithStatus(StatusCodes.Status400BadRequest);
            }
            if (problem.Is("weak-password"))
            {
                PasswordError = ProblemMessages.For(problem);
            }
            return Refused(problem);
        }
        // The platform ended every session; this browser's cookie goes with them.
        await HttpContext.SignOutAsync(Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationDefaults.AuthenticationScheme);
        return Redirect("/sign-in?notice=password-reset");
    }
}
