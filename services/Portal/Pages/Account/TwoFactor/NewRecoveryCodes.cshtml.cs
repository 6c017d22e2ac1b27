using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.Portal.Pages.Account.TwoFactor;

/// <summary>"Regenerate recovery codes": POST /api/mfa/recovery-codes with a current code; the old codes stop working.</summary>
public sealed class NewRecoveryCodesModel(PlatformApi api, SealedCookie cookies) : CurrentCodePage(api)
{
    public const string PagePath = "/account/two-factor/new-recovery-codes";

    protected override string Path => PagePath;

    protected override async Task<ApiProblem?> ApplyAsync(string accessToken, string code)
    {
        var made = await Api.RegenerateRecoveryCodesAsync(accessToken, code, HttpContext.RequestAborted);
        if (made.Value is { } codes)
        {
            cookies.Write(HttpContext, AccountSteps.RecoveryCodesCookie, new FreshRecoveryCodes(codes.RecoveryCodes, TwoFactorJustTurnedOn: false),
                AccountSteps.ShownOnceLifetime);
        }
        return made.Problem;
    }

    protected override IActionResult Done() => Redirect(RecoveryCodesModel.Path);
}
