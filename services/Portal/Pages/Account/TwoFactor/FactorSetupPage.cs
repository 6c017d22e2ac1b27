using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.Portal.Pages.Account.TwoFactor;

/// <summary>
/// Turning a factor on, or reconfiguring it: the pending setup waits in a sealed cookie between the start and the
/// first code, and confirming that code leads to the recovery codes. When 2FA is already on the start asks for a
/// current code; the old factor keeps working until the new one is confirmed.
/// </summary>
public abstract class FactorSetupPage<TPending>(PlatformApi api, SealedCookie cookies) : AccountPage
    where TPending : class
{
    public TPending? Pending { get; protected set; }

    public bool Reconfiguring { get; private set; }

    public string? CodeError { get; protected set; }

    protected abstract string Path { get; }

    protected abstract string SetupCookie { get; }

    /// <summary>What the code field says when the first code is missing or not six digits.</summary>
    protected abstract string CodeMissing { get; }

    protected abstract Task<ApiResult<RecoveryCodesResponse>> ConfirmAsync(string accessToken, string digits);

    protected PlatformApi Api => api;

    protected SealedCookie Cookies => cookies;

    /// <summary>A line above the form, from the query string after a redirect ("we texted a code").</summary>
    public string? Notice { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? notice)
    {
        Pending = cookies.Read<TPending>(HttpContext, SetupCookie);
        Notice = Pending is null ? null : NoticeFor(Pending, notice);
        return Pending is null ? await StatusAsync() ?? Page() : Page();
    }

    public async Task<IActionResult> OnPostConfirmAsync(string? code)
    {
        Pending = cookies.Read<TPending>(HttpContext, SetupCookie);
        if (Pending is null)
        {
            FormError = AccountMessages.For(new ApiProblem(System.Net.HttpStatusCode.BadRequest, "no-pending-setup", null, null));
            return await StatusAsync() ?? PageWithStatus(StatusCodes.Status400BadRequest);
        }
        if (SixDigits(code) is not { } digits)
        {
            CodeError = CodeMissing;
            FormError = "Check the highlighted field.";
            return PageWithStatus(StatusCodes.Status400BadRequest);
        }
        if (await AccessTokenAsync() is not { } accessToken)
        {
            return SessionEnded();
        }
        var confirmed = await ConfirmAsync(accessToken, digits);
        if (confirmed.Value is not { } codes)
        {
            if (confirmed.Problem!.Is("no-pending-setup"))
            {
                cookies.Delete(HttpContext, SetupCookie);
                Pending = null;
                await StatusAsync();
            }
            CodeError = IsAboutTheCode(confirmed.Problem!) ? AccountMessages.For(confirmed.Problem!) : null;
            return Leave(confirmed.Problem!, Path) ?? Shown(confirmed.Problem!);
        }
        cookies.Delete(HttpContext, SetupCookie);
        cookies.Write(HttpContext, AccountSteps.RecoveryCodesCookie, new FreshRecoveryCodes(codes.RecoveryCodes, TwoFactorJustTurnedOn: true),
            AccountSteps.ShownOnceLifetime);
        return Redirect(RecoveryCodesModel.Path);
    }

    /// <summary>Whether 2FA is on already (a reconfiguration); a result when the page cannot be shown.</summary>
    protected async Task<IActionResult?> StatusAsync()
    {
        var (status, leave) = await MfaStatusAsync(api, Path);
        Reconfiguring = status is { Enabled: true };
        return leave;
    }

    protected virtual string? NoticeFor(TPending pending, string? notice) => null;
}
