using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.Portal.Pages.Account.TwoFactor;

/// <summary>"Turn off": DELETE /api/mfa with a current code; the owner is emailed.</summary>
public sealed class TurnOffModel(PlatformApi api) : CurrentCodePage(api)
{
    public const string PagePath = "/account/two-factor/turn-off";

    protected override string Path => PagePath;

    protected override async Task<ApiProblem?> ApplyAsync(string accessToken, string code) =>
        (await Api.TurnOffTwoFactorAsync(accessToken, code, HttpContext.RequestAborted)).Problem;

    protected override IActionResult Done() => Redirect("/account?notice=" + TwoFactorNotices.TurnedOff);
}
