using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.Portal.Pages.VerifyEmail;

/// <summary>POST /api/verification/email/resend: always the same answer, whether or not the address waits for verification.</summary>
public sealed class ResendModel(PlatformApi api) : PortalPage
{
    public string? Email { get; private set; }

    public string? EmailError { get; private set; }

    public bool Sent { get; private set; }

    public void OnGet(string? email) => Email = email is null ? null : Trimmed(email, FieldLimits.Email);

    public async Task<IActionResult> OnPostAsync(string? email)
    {
        Email = Trimmed(email, FieldLimits.Email);
        if (Email.Length == 0 || !Email.Contains('@'))
        {
            EmailError = "Enter your email address, like name@example.com.";
            return PageWithStatus(StatusCodes.Status400BadRequest);
        }
        var sent = await api.ResendVerificationEmailAsync(Email, HttpContext.RequestAborted);
        if (sent.Problem is { } problem)
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
