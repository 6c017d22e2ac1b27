using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.Portal.Pages.SignIn;

/// <summary>
/// The code page between password and session: POST /api/sessions/mfa with the account's own method (TOTP or SMS);
/// "Send a new code" (<see cref="SendCodeModel"/>) comes back here with the wait it was refused with. "Remember this
/// device" (offered when the API says for how long) keeps the API's new device token in the device cookie.
/// </summary>
public sealed class TwoFactorModel(PlatformApi api, PortalSession session, SealedCookie cookies, BrowserSignIn passwords) : PortalPage
{
    public string? Notice { get; private set; }

    public string? CodeError { get; private set; }

    public bool IsSms { get; private set; }

    /// <summary>"Remember this device for N days", when the API offers it (the days are the API's, relayed).</summary>
    public int? RememberDays { get; private set; }

    /// <summary>The account has a passkey: the page offers it instead of a code (with script).</summary>
    public bool OffersPasskey { get; private set; }

    public IActionResult OnGet(string? sent, string? refused, int? wait)
    {
        if (Pending() is not { } pending)
        {
            return Redirect("/sign-in?notice=sign-in-expired");
        }
        IsSms = pending.PrimaryMethod == FactorMethod.Sms;
        RememberDays = Days(pending);
        OffersPasskey = pending.Methods.Contains(FactorMethod.Passkey);
        if (refused is { Length: > 0 and < 40 })
        {
            // What "Send a new code" was refused with (SendCode redirects here): only known kinds become sentences.
            FormError = ProblemMessages.For(new ApiProblem(System.Net.HttpStatusCode.TooManyRequests, refused,
                null, wait is > 0 ? TimeSpan.FromSeconds(Math.Min(wait.Value, 86_400)) : null));
        }
        else if (sent == "1")
        {
            Notice = "A new code is on its way.";
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? code, string? remember)
    {
        if (Pending() is not { } pending)
        {
            return Redirect("/sign-in?notice=sign-in-expired");
        }
        IsSms = pending.PrimaryMethod == FactorMethod.Sms;
        RememberDays = Days(pending);
        OffersPasskey = pending.Methods.Contains(FactorMethod.Passkey);
        var digits = OneTimeCode.Normalize(code);
        if (digits is null)
        {
            CodeError = "Enter the 6-digit code, numbers only.";
            FormError = "Check the code.";
            return PageWithStatus(StatusCodes.Status400BadRequest);
        }
        var completed = await api.CompleteSecondFactorAsync(pending.MfaToken, pending.PrimaryMethod, digits, HttpContext.RequestAborted,
            rememberDevice: RememberDays is not null && remember == "yes");
        if (completed.Value is { } answer)
        {
            passwords.KeepDeviceToken(HttpContext, answer);
        }
        return await FinishAsync(completed, pending, session, cookies, HttpContext, error => CodeError = error, this);
    }

    private PendingSignIn? Pending() => cookies.Read<PendingSignIn>(HttpContext, PortalCookies.SignInStep);

    private static int? Days(PendingSignIn pending) =>
        pending.RememberDeviceFor is { } seconds && seconds > 0 ? (int)Math.Round(TimeSpan.FromSeconds(seconds).TotalDays) : null;

    /// <summary>What the second step's answer means for the browser; shared by the code page and the recovery page.</summary>
    internal static async Task<IActionResult> FinishAsync(ApiResult<SignInResponse> completed, PendingSignIn pending, PortalSession session,
        SealedCookie cookies, HttpContext context, Action<string> fieldError, PortalPage page, string? notice = null)
    {
        if (completed.Value is { } tokens)
        {
            cookies.Delete(context, PortalCookies.SignInStep);
            if (await session.StartAsync(context, tokens) is { } failed)
            {
                return page.RefusedBy(failed);
            }
            var target = SafeReturnUrl(notice is null ? pending.ReturnUrl : "/account");
            return new RedirectResult(notice is null ? target : $"{target}?notice={notice}");
        }
        var problem = completed.Problem!;
        if (problem.Is("invalid-mfa-token"))
        {
            cookies.Delete(context, PortalCookies.SignInStep);
            return new RedirectResult("/sign-in?notice=sign-in-expired");
        }
        if (problem.Is("invalid-code") || problem.Status == System.Net.HttpStatusCode.Unauthorized)
        {
            fieldError(ProblemMessages.For(problem.Is("invalid-code") ? problem : problem with { Kind = "invalid-code" }));
        }
        return page.RefusedBy(problem);
    }
}
