using AuthPlatform.Portal.ExternalSignIn;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Portal.Pages.SignIn;

/// <summary>
/// Email and password. Calls POST /api/sessions (with this browser's device token); tokens start the session, a
/// second-factor answer leads to the code page, an unverified address offers POST /api/verification/email/resend.
/// </summary>
public sealed class SignInModel(BrowserSignIn passwords, IOptions<GoogleOptions> google) : PortalPage
{
    /// <summary>"Sign in with Google" is offered (a Google client id is configured).</summary>
    public bool GoogleEnabled => google.Value.Enabled;

    /// <summary>Why the person is here (after a reset, a sign-out, a verified email).</summary>
    public string? Notice { get; private set; }

    public string? Email { get; private set; }

    public string? EmailError { get; private set; }

    public string? PasswordError { get; private set; }

    public string ReturnUrl { get; private set; } = "/account";

    public bool OfferResend { get; private set; }

    /// <summary>An app asked for a fresh sign-in (prompt=login): a remembered browser still gives its second factor.</summary>
    public bool Fresh { get; private set; }

    public IActionResult OnGet(string? returnUrl, string? notice, string? email, [FromQuery(Name = "google")] string? googleError, string? fresh)
    {
        Fresh = fresh == "1";
        if (User.Identity?.IsAuthenticated == true)
        {
            return LocalRedirect(SafeReturnUrl(returnUrl));
        }
        ReturnUrl = SafeReturnUrl(returnUrl);
        Email = email is null ? null : Trimmed(email, FieldLimits.Email);
        Notice = notice switch
        {
            "signed-out" => "You are signed out.",
            "password-reset" => "Your password was changed and every session was signed out. Sign in with your new password.",
            "session-ended" => "Your session has ended. Please sign in again.",
            "sign-in-expired" => "That sign-in took too long. Please enter your email and password again.",
            _ => null,
        };
        // Why a Google sign-in came back here without signing in.
        FormError = GoogleMessages.For(googleError);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? email, string? password, string? returnUrl, string? fresh)
    {
        ReturnUrl = SafeReturnUrl(returnUrl);
        Fresh = fresh == "1";
        Email = Trimmed(email, FieldLimits.Email);
        if (Email.Length == 0)
        {
            EmailError = "Enter your email address.";
        }
        if (string.IsNullOrEmpty(password))
        {
            PasswordError = "Enter your password.";
        }
        else if (password.Length > FieldLimits.Password)
        {
            PasswordError = "That password is too long.";
        }
        if (EmailError is not null || PasswordError is not null)
        {
            FormError = "Check the highlighted fields.";
            return PageWithStatus(StatusCodes.Status400BadRequest);
        }

        var result = await passwords.SignInAsync(HttpContext, Email, password!, ReturnUrl,
            requireSecondFactor: Fresh || BrowserSignIn.ReturnAsksForSecondFactor(ReturnUrl));
        if (result.Problem is { } problem)
        {
            OfferResend = problem.Is("email-not-verified");
            return Refused(problem);
        }
        return result.SecondFactorDue ? Redirect("/sign-in/two-factor") : LocalRedirect(ReturnUrl);
    }
}
