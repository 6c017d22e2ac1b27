using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.Portal.Pages.SignIn;

/// <summary>
/// The passkey script's side of signing in (wwwroot/js/passkeys.js): options from POST /api/passkeys/assertion/options,
/// then the browser's assertion to /api/passkeys/assertion/complete. On the sign-in page the passkey is the whole
/// sign-in; on the two-factor page (<c>secondFactor</c>) it answers the pending sign-in's second step. Answers are
/// JSON for the script: <c>{ options }</c>, <c>{ redirect }</c> or <c>{ error }</c>.
/// </summary>
public sealed class PasskeySignInModel(PlatformApi api, PortalSession session, SealedCookie cookies) : PortalPage
{
    public const string Path = "/sign-in/passkey";

    /// <summary>The browser's credential JSON is about 1 kB; anything far larger is not one.</summary>
    public const int MaxCredentialLength = 8 * 1024;

    public IActionResult OnGet() => Redirect("/sign-in");

    public async Task<IActionResult> OnPostOptionsAsync(bool secondFactor)
    {
        string? mfaToken = null;
        if (secondFactor)
        {
            if (Pending() is not { } pending)
            {
                return Expired();
            }
            mfaToken = pending.MfaToken;
        }
        var options = await api.StartPasskeySignInAsync(mfaToken, HttpContext.RequestAborted);
        return options.Value is { } value ? new JsonResult(new { options = value.Options }) : Failed(options.Problem!);
    }

    public async Task<IActionResult> OnPostCompleteAsync(string? credential, string? returnUrl, bool secondFactor)
    {
        if (ParseCredential(credential) is not { } json)
        {
            return Json(StatusCodes.Status400BadRequest, new { error = "The browser's passkey answer was not readable. Try again." });
        }
        PendingSignIn? pending = null;
        if (secondFactor && (pending = Pending()) is null)
        {
            return Expired();
        }
        var completed = await api.CompletePasskeySignInAsync(new PasskeyAssertionRequest(json, pending?.MfaToken), HttpContext.RequestAborted);
        if (completed.Value is not { } tokens)
        {
            return Failed(completed.Problem!);
        }
        if (pending is not null)
        {
            cookies.Delete(HttpContext, PortalCookies.SignInStep);
        }
        if (await session.StartAsync(HttpContext, tokens) is { } failed)
        {
            return Failed(failed);
        }
        return new JsonResult(new { redirect = SafeReturnUrl(pending?.ReturnUrl ?? returnUrl) });
    }

    /// <summary>The credential JSON the script sent, or null when it is not a JSON object of a sensible size.</summary>
    public static JsonElement? ParseCredential(string? credential)
    {
        if (credential is not { Length: > 0 and <= MaxCredentialLength })
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(credential);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private PendingSignIn? Pending() => cookies.Read<PendingSignIn>(HttpContext, PortalCookies.SignInStep);

    private JsonResult Expired()
    {
        cookies.Delete(HttpContext, PortalCookies.SignInStep);
        return new JsonResult(new { redirect = "/sign-in?notice=sign-in-expired" });
    }

    private JsonResult Failed(ApiProblem problem) => problem.Is("invalid-mfa-token")
        ? Expired()
        : Json((int)problem.Status is >= 400 and < 600 ? (int)problem.Status : 400, new { error = ProblemMessages.For(problem) });

    private static JsonResult Json(int status, object value) => new(value) { StatusCode = status };
}
