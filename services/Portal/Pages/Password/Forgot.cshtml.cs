using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.Portal.Pages.Password;

/// <summary>"Forgot your password?": POST /api/accounts/password-reset, the same answer for every address.</summary>
public sealed class ForgotModel(PlatformApi api) : PortalPage
{
    public string? Email { get; private set; }

    public string? EmailError { get; private set; }

    public bool Sent { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string? email)
    {
        Email = Trimmed(email, FieldLimits.Email);
        if (Email.Length == 0 || !Email.Contains('@'))
        {
            EmailError = "Enter your email address, like name@example.com.";
            FormError = "Check the highlighted field.";
            return PageWithStatus(StatusCodes.Status400BadRequest);
        }
        var requested = await api.RequestPasswordResetAsync(Email, HttpContext.RequestAborted);
        if (requested.Problem is { } problem)
        {
            if (problem.Is("invalid-request"))
            {
                EmailError = "This email address cannot be used. Check it and try again.";
            }
            return Refused(problem);
        }
        Sent = true;
        return Page();
    }
}
