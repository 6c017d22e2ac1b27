using System.Text;
using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.Portal.Pages.Account.TwoFactor;

/// <summary>
/// The confirmation screen with the recovery codes the API just made (they are never shown again): "Download" as a
/// text file, and "I saved them" before leaving. The codes wait in a sealed cookie for a few minutes, so a reload
/// or the download still finds them; "I saved them" removes it.
/// </summary>
public sealed class RecoveryCodesModel(SealedCookie cookies) : AccountPage
{
    public const string Path = "/account/two-factor/recovery-codes";
    public const string FileName = "authplatform-recovery-codes.txt";

    public FreshRecoveryCodes? Fresh { get; private set; }

    public string? SavedError { get; private set; }

    public IActionResult OnGet()
    {
        Fresh = cookies.Read<FreshRecoveryCodes>(HttpContext, AccountSteps.RecoveryCodesCookie);
        return Fresh is null ? Redirect("/account") : Page();
    }

    public IActionResult OnGetDownload()
    {
        if (cookies.Read<FreshRecoveryCodes>(HttpContext, AccountSteps.RecoveryCodesCookie) is not { } fresh)
        {
            return Redirect("/account");
        }
        var text = new StringBuilder()
            .AppendLine("AuthPlatform recovery codes")
            .AppendLine($"Account: {User.FindFirst(PortalSession.EmailClaim)?.Value}")
            .AppendLine("Each code works once, when you cannot use your phone or app. Keep them somewhere safe.")
            .AppendLine();
        foreach (var code in fresh.Codes)
        {
            text.AppendLine(code);
        }
        return File(Encoding.UTF8.GetBytes(text.ToString()), "text/plain; charset=utf-8", FileName);
    }

    public IActionResult OnPost(string? saved)
    {
        Fresh = cookies.Read<FreshRecoveryCodes>(HttpContext, AccountSteps.RecoveryCodesCookie);
        if (Fresh is null)
        {
            return Redirect("/account");
        }
        if (saved != "yes")
        {
            SavedError = "Tick the box once you have saved your recovery codes.";
            FormError = "Check the highlighted field.";
            return PageWithStatus(StatusCodes.Status400BadRequest);
        }
        cookies.Delete(HttpContext, AccountSteps.RecoveryCodesCookie);
        return Redirect("/account?notice=" + (Fresh.TwoFactorJustTurnedOn ? TwoFactorNotices.TurnedOn : TwoFactorNotices.NewRecoveryCodes));
    }
}
