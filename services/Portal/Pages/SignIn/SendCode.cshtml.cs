using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.Portal.Pages.SignIn;

/// <summary>
/// "Send a new code" on the SMS code page: POST /api/sessions/mfa/sms. Back on the code page either "a new code is on
/// its way" or the refusal with its wait (the 30 s cooldown's Retry-After, an SMS limit).
/// </summary>
public sealed class SendCodeModel(PlatformApi api, SealedCookie cookies) : PortalPage
{
    public IActionResult OnGet() => Redirect("/sign-in/two-factor");

    public async Task<IActionResult> OnPostAsync()
    {
        if (cookies.Read<PendingSignIn>(HttpContext, PortalCookies.SignInStep) is not { } pending)
        {
            return Redirect("/sign-in?notice=sign-in-expired");
        }
        var sent = await api.ResendSignInCodeAsync(pending.MfaToken, HttpContext.RequestAborted);
        if (sent.Problem is not { } problem)
        {
            return Redirect("/sign-in/two-factor?sent=1");
        }
        if (problem.Is("invalid-mfa-token"))
        {
            cookies.Delete(HttpContext, PortalCookies.SignInStep);
            return Redirect("/sign-in?notice=sign-in-expired");
        }
        var wait = problem.RetryAfter is { } retryAfter ? $"&wait={Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))}" : "";
        return Redirect($"/sign-in/two-factor?refused={Uri.EscapeDataString(problem.Kind.Length > 0 ? problem.Kind : "unavailable")}{wait}");
    }
}
