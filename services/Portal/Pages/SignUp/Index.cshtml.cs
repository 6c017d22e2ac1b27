using AuthPlatform.Portal.ExternalSignIn;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Portal.Pages.SignUp;

/// <summary>Sign up: POST /api/accounts, then "Check your email" (the same answer whether or not the address is taken).</summary>
public sealed class SignUpModel(PlatformApi api, SealedCookie cookies, IOptions<GoogleOptions> google) : PortalPage
{
    /// <summary>"Sign in with Google" is offered: it creates the account at once when Google has verified the address.</summary>
    public bool GoogleEnabled => google.Value.Enabled;

    public string? Email { get; private set; }

    public string? EmailError { get; private set; }

    public string? PasswordError { get; private set; }

    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? Redirect("/account") : Page();

    public async Task<IActionResult> OnPostAsync(string? email, string? password)
    {
        Email = Trimmed(email, FieldLimits.Email);
        if (Email.Length == 0 || !Email.Contains('@'))
        {
            EmailError = "Enter your email address, like name@example.com.";
        }
        if (string.IsNullOrEmpty(password))
        {
            PasswordError = "Choose a password.";
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

        var result = await api.SignUpAsync(Email, password!, HttpContext.RequestAborted);
        if (result.Problem is { } problem)
        {
            if (problem.Is("weak-password"))
            {
                PasswordError = ProblemMessages.For(problem);
            }
            else if (problem.Is("invalid-request"))
            {
                EmailError = "This email address cannot be used. Check it and try again.";
            }
            return Refused(problem);
        }
        cookies.Write(HttpContext, PortalCookies.SignUp, new PendingSignUp(Email), PendingSignUp.Lifetime);
        return Redirect("/sign-up/check-email");
    }
}
