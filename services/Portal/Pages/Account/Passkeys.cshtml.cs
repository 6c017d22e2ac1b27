using System.Net;
using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.Portal.Pages.Account;

/// <summary>
/// Passkeys: the list (GET /api/passkeys), rename and remove (plain forms), and "Add a passkey" through the passkey
/// script (wwwroot/js/passkeys.js): options from POST /api/passkeys/registration/options, the browser's dialog, then
/// /registration/complete. Adding needs a recent sign-in: the script is sent to "Confirm it's you" and back.
/// </summary>
public sealed class PasskeysModel(PlatformApi api) : AccountPage
{
    public const string Path = "/account/passkeys";

    public IReadOnlyList<PasskeyView> Passkeys { get; private set; } = [];

    public string? Notice { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? notice)
    {
        Notice = notice switch
        {
            "added" => "Your passkey was added. You can now sign in with it. We emailed you about this change.",
            "renamed" => "The passkey was renamed.",
            "removed" => "The passkey was removed. We emailed you about this change.",
            _ => null,
        };
        return await LoadAsync() ?? Page();
    }

    public async Task<IActionResult> OnPostOptionsAsync()
    {
        if (await AccessTokenAsync() is not { } accessToken)
        {
            return new JsonResult(new { redirect = SessionEndedUrl });
        }
        var options = await api.StartPasskeyRegistrationAsync(accessToken, HttpContext.RequestAborted);
        return options.Value is { } value ? new JsonResult(new { options = value.Options }) : Failed(options.Problem!);
    }

    public async Task<IActionResult> OnPostCompleteAsync(string? credential, string? passkeyName)
    {
        if (await AccessTokenAsync() is not { } accessToken)
        {
            return new JsonResult(new { redirect = SessionEndedUrl });
        }
        if (AuthPlatform.Portal.Pages.SignIn.PasskeySignInModel.ParseCredential(credential) is not { } json)
        {
            return new JsonResult(new { error = "The browser's passkey answer was not readable. Try again." }) { StatusCode = 400 };
        }
        var trimmed = Trimmed(passkeyName, FieldLimits.PasskeyName);
        var added = await api.CompletePasskeyRegistrationAsync(accessToken, new CompletePasskeyRegistrationRequest(json, trimmed.Length > 0 ? trimmed : null), HttpContext.RequestAborted);
        return added.Succeeded ? new JsonResult(new { redirect = Path + "?notice=added" }) : Failed(added.Problem!);
    }

    public async Task<IActionResult> OnPostRenameAsync(Guid id, string? name)
    {
        if (await AccessTokenAsync() is not { } accessToken)
        {
            return SessionEnded();
        }
        var trimmed = Trimmed(name, FieldLimits.PasskeyName + 1);
        if (trimmed.Length is 0 or > FieldLimits.PasskeyName)
        {
            FormError = $"Enter a name of 1 to {FieldLimits.PasskeyName} characters.";
            return await LoadAsync() ?? PageWithStatus(StatusCodes.Status400BadRequest);
        }
        var renamed = await api.RenamePasskeyAsync(accessToken, id, trimmed, HttpContext.RequestAborted);
        return renamed.Problem is { } problem ? await RefusedAsync(problem) : Redirect(Path + "?notice=renamed");
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid id)
    {
        if (await AccessTokenAsync() is not { } accessToken)
        {
            return SessionEnded();
        }
        var removed = await api.RemovePasskeyAsync(accessToken, id, HttpContext.RequestAborted);
        return removed.Problem is { } problem ? await RefusedAsync(problem) : Redirect(Path + "?notice=removed");
    }

    private async Task<IActionResult?> LoadAsync()
    {
        if (await AccessTokenAsync() is not { } accessToken)
        {
            return SessionEnded();
        }
        var list = await api.ListPasskeysAsync(accessToken, HttpContext.RequestAborted);
        if (list.Problem is { } problem)
        {
            return Leave(problem, Path) ?? Shown(problem);
        }
        Passkeys = list.Value ?? [];
        return null;
    }

    private async Task<IActionResult> RefusedAsync(ApiProblem problem)
    {
        if (Leave(problem, Path) is { } leave)
        {
            return leave;
        }
        var shown = await LoadAsync() ?? Page();
        FormError = AccountMessages.For(problem);
        HttpContext.Response.StatusCode = (int)problem.Status is >= 400 and < 600 ? (int)problem.Status : 400;
        return shown;
    }

    /// <summary>For the script: where to go (session over, recent sign-in needed) or the sentence to show.</summary>
    private JsonResult Failed(ApiProblem problem)
    {
        if (problem.Is("reauthentication-required"))
        {
            return new JsonResult(new { redirect = $"{ConfirmIdentityModel.Path}?returnUrl={Uri.EscapeDataString(Path)}&reason={problem.Kind}" });
        }
        if (problem.Is("session-ended") || problem.Is("invalid-refresh-token") || (problem.Status == HttpStatusCode.Unauthorized && problem.Kind.Length == 0))
        {
            return new JsonResult(new { redirect = SessionEndedUrl });
        }
        return new JsonResult(new { error = AccountMessages.For(problem) }) { StatusCode = (int)problem.Status is >= 400 and < 600 ? (int)problem.Status : 400 };
    }
}
