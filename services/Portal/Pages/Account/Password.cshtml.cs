using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.Portal.Pages.Account;

/// <summary>
/// Change password: POST /api/accounts/me/password with the current one (throttled like sign-in); every other
/// session ends and the owner is emailed.
/// </summary>
public sealed class ChangePasswordModel(PlatformApi api) : AccountPage
{
    public const string Path = "/account/password";

    public string? CurrentPasswordError { get; private set; }

    public string? NewPasswordError { get; private set; }

    public bool Changed { get; private set; }

    public IActionResult OnGet(string? notice)
    {
        Changed = notice == "changed";
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? currentPassword, string? newPassword)
    {
        if (string.IsNullOrEmpty(currentPassword))
        {
            CurrentPasswordError = "Enter your current password.";
        }
        else if (currentPassword.Length > FieldLimits.Password)
        {
            CurrentPasswordError = "That password is too long.";
        }
        if (string.IsNullOrEmpty(newPassword))
        {
            NewPasswordError = "Enter a new password.";
        }
        else if (newPassword.Length > FieldLimits.Password)
        {
            NewPasswordError = "Use at most 128 characters.";
        }
        if (CurrentPasswordError is not null || NewPasswordError is not null)
        {
            FormError = "Check the highlighted fields.";
            return PageWithStatus(StatusCodes.Status400BadRequest);
        }
        if (await AccessTokenAsync() is not { } accessToken)
        {
            return SessionEnded();
        }
        var changed = await api.ChangePasswordAsync(accessToken, currentPassword!, newPassword!, HttpContext.RequestAborted);
        if (changed.Problem is { } problem)
        {
            if (problem.Is("invalid-credentials"))
            {
                CurrentPasswordError = AccountMessages.For(problem);
            }
            else if (problem.Is("weak-password"))
            {
                NewPasswordError = AccountMessages.For(problem);
            }
            return Leave(problem, Path) ?? Shown(problem);
        }
        return Redirect(Path + "?notice=changed");
    }
}
