using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.Portal.Pages.Account.TwoFactor;

/// <summary>
/// A change to a factor that is on (new recovery codes, turning it off): it asks for a current code, which for an
/// SMS account is a recovery code (the API texts codes only at sign-in), and the API checks it.
/// </summary>
public abstract class CurrentCodePage(PlatformApi api) : AccountPage
{
    public MfaStatus? Mfa { get; private set; }

    public string? CodeError { get; protected set; }

    /// <summary>The hint under the code field, by method.</summary>
    public string CodeHint => Mfa?.Method == FactorMethod.Sms
        ? "Enter one of your recovery codes (such as ABCD-EFGH-JKMN-PQRS)."
        : "Enter the six-digit code your authenticator app shows now, or one of your recovery codes.";

    protected abstract string Path { get; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ?? Page();

    public async Task<IActionResult> OnPostAsync(string? code)
    {
        if (await LoadAsync() is { } leave)
        {
            return leave;
        }
        if (CurrentCode(code) is not { } current)
        {
            CodeError = Mfa?.Method == FactorMethod.Sms ? "Enter one of your recovery codes." : "Enter a six-digit code or a recovery code.";
            FormError = "Check the highlighted field.";
            return PageWithStatus(StatusCodes.Status400BadRequest);
        }
        var problem = await ApplyAsync((await AccessTokenAsync())!, SixDigits(current) ?? current);
        if (problem is null)
        {
            return Done();
        }
        CodeError = IsAboutTheCode(problem) ? AccountMessages.For(problem) : null;
        return Leave(problem, Path) ?? Shown(problem);
    }

    /// <summary>The API call; null when it was done.</summary>
    protected abstract Task<ApiProblem?> ApplyAsync(string accessToken, string code);

    protected abstract IActionResult Done();

    protected PlatformApi Api => api;

    private async Task<IActionResult?> LoadAsync()
    {
        (Mfa, var leave) = await MfaStatusAsync(api, Path);
        return leave ?? (Mfa!.Enabled ? null : Redirect("/account"));
    }
}
