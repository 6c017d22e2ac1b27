using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.Portal.Pages.Account;

/// <summary>
/// Signed-in devices: GET /api/sessions; "Sign out everywhere else" (DELETE /api/sessions) and signing one other
/// device out (DELETE /api/sessions/{id}). Remembered devices (GET /api/sessions/remembered-devices): forget one
/// (DELETE …/{id}) or all (DELETE …).
/// </summary>
public sealed class SessionsModel(PlatformApi api) : AccountPage
{
    public const string Path = "/account/sessions";

    public IReadOnlyList<SessionSummary> Devices { get; private set; } = [];

    public IReadOnlyList<RememberedDeviceSummary> Remembered { get; private set; } = [];

    public string? Notice { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? notice)
    {
        Notice = notice switch
        {
            "others-ended" => "Every other device was signed out.",
            "ended" => "That device was signed out.",
            "forgotten" => "That device was forgotten: it asks for your second factor at its next sign-in.",
            "all-forgotten" => "Every remembered device was forgotten.",
            _ => null,
        };
        return await LoadAsync() ?? Page();
    }

    public async Task<IActionResult> OnPostEndOthersAsync()
    {
        if (await AccessTokenAsync() is not { } accessToken)
        {
            return SessionEnded();
        }
        var ended = await api.EndOtherSessionsAsync(accessToken, HttpContext.RequestAborted);
        if (ended.Problem is { } problem)
        {
            return Leave(problem, Path) ?? await LoadAsync() ?? Shown(problem);
        }
        return Redirect(Path + "?notice=others-ended");
    }

    public async Task<IActionResult> OnPostEndAsync(Guid id)
    {
        if (await AccessTokenAsync() is not { } accessToken)
        {
            return SessionEnded();
        }
        var ended = await api.EndSessionAsync(accessToken, id, HttpContext.RequestAborted);
        if (ended.Problem is { } problem)
        {
            return Leave(problem, Path) ?? await LoadAsync() ?? Shown(problem);
        }
        return Redirect(Path + "?notice=ended");
    }

    public async Task<IActionResult> OnPostForgetAsync(Guid id)
    {
        if (await AccessTokenAsync() is not { } accessToken)
        {
            return SessionEnded();
        }
        var forgotten = await api.ForgetRememberedDeviceAsync(accessToken, id, HttpContext.RequestAborted);
        if (forgotten.Problem is { } problem)
        {
            return Leave(problem, Path) ?? await LoadAsync() ?? Shown(problem);
        }
        return Redirect(Path + "?notice=forgotten");
    }

    public async Task<IActionResult> OnPostForgetAllAsync()
    {
        if (await AccessTokenAsync() is not { } accessToken)
        {
            return SessionEnded();
        }
        var forgotten = await api.ForgetRememberedDevicesAsync(accessToken, HttpContext.RequestAborted);
        if (forgotten.Problem is { } problem)
        {
            return Leave(problem, Path) ?? await LoadAsync() ?? Shown(problem);
        }
        return Redirect(Path + "?notice=all-forgotten");
    }

    /// <summary>How the device proved who it was, in words.</summary>
    public static string Proof(IReadOnlyList<string>? methods)
    {
        // The session's amr: its first factor (the password, or Google), then the second when there was one.
        var first = methods?.Contains("google") == true ? "Google" : "password";
        return methods is null || !methods.Contains("mfa") ? first
            : methods.Contains("otp") ? $"{first} and authenticator app" : methods.Contains("sms") ? $"{first} and text message" : $"{first} and recovery code";
    }

    private async Task<IActionResult?> LoadAsync()
    {
        if (await AccessTokenAsync() is not { } accessToken)
        {
            return SessionEnded();
        }
        var devices = await api.ListSessionsAsync(accessToken, HttpContext.RequestAborted);
        if (devices.Problem is { } problem)
        {
            return Leave(problem, Path) ?? Shown(problem);
        }
        Devices = devices.Value ?? [];
        var remembered = await api.ListRememberedDevicesAsync(accessToken, HttpContext.RequestAborted);
        if (remembered.Problem is { } rememberedProblem)
        {
            return Leave(rememberedProblem, Path) ?? Shown(rememberedProblem);
        }
        Remembered = remembered.Value ?? [];
        return null;
    }
}
