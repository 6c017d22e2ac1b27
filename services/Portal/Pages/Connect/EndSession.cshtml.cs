using System.Security.Claims;
using System.Text.Json;
using AuthPlatform.Contracts.Internal;
using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.Portal.Pages.Connect;

/// <summary>
/// RP-initiated logout (docs/oidc.md): account's /connect/endsession, given an app's valid id_token_hint, sends the
/// browser here first; the portal session ends when the hint names the person signed in here (so a link elsewhere
/// cannot sign someone out), and the browser goes back to /connect/endsession, which returns to the app's
/// post_logout_redirect_uri.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class EndSessionModel(PortalSession session) : PortalPage
{
    public async Task<IActionResult> OnGetAsync()
    {
        if ((Request.QueryString.Value?.Length ?? 0) > MaxReturnUrlLength)
        {
            FormError = "This sign-out request is too long. Go back to the app and try again.";
            return PageWithStatus(StatusCodes.Status400BadRequest);
        }
        var signedIn = User.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        if (signedIn is not null && signedIn == SubjectOf(Request.Query["id_token_hint"]))
        {
            await session.EndAsync(HttpContext);
        }
        Response.Cookies.Append(AuthorizationHandoffCalls.EndSessionCookie, "1", new CookieOptions
        {
            Path = AuthorizationHandoffCalls.EndSessionPath,
            HttpOnly = true,
            Secure = Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            MaxAge = TimeSpan.FromMinutes(1),
            IsEssential = true,
        });
        return Redirect(AuthorizationHandoffCalls.EndSessionPath + Request.QueryString);
    }

    /// <summary>The hint's subject. Account has verified the hint's signature before sending the browser here.</summary>
    private static string? SubjectOf(string? idToken)
    {
        var parts = idToken?.Split('.') ?? [];
        if (parts.Length != 3 || parts[1].Length > 8192)
        {
            return null;
        }
        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            using var json = JsonDocument.Parse(Convert.FromBase64String(payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=')));
            return json.RootElement.TryGetProperty("sub", out var sub) && sub.ValueKind == JsonValueKind.String ? sub.GetString() : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }
}
