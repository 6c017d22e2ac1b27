using Microsoft.AspNetCore.Http;

namespace AuthPlatform.Portal.Sessions;

/// <summary>
/// The portal's cookies and their flags. All are HttpOnly and SameSite=Lax; they are Secure unless the platform's
/// public URL is on loopback (a developer's http://localhost, where browsers would drop them otherwise).
/// </summary>
public static class PortalCookies
{
    /// <summary>The signed-in session: an encrypted ticket holding the API's access and refresh tokens.</summary>
    public const string Session = "portal.session";

    /// <summary>Between the password and the second factor: the encrypted mfaToken and the account's methods.</summary>
    public const string SignInStep = "portal.signin";

    /// <summary>The API's sealed device token, so this browser stays exempt from lockouts caused by someone else.</summary>
    public const string Device = "portal.device";

    /// <summary>The address just signed up with (<see cref="PendingSignUp"/>).</summary>
    public const string SignUp = "portal.signup";

    public const string Antiforgery = "portal.csrf";

    /// <summary>Google's validated answer, between the callback and /sign-in/google/done (an authentication ticket).</summary>
    public const string External = "portal.external";

    /// <summary>A Google identity waiting for the account owner's password before it is linked (<see cref="PendingGoogleLink"/>).</summary>
    public const string Link = "portal.link";

    public static CookieSecurePolicy SecurePolicy(string? publicBaseUrl) =>
        Uri.TryCreate(publicBaseUrl, UriKind.Absolute, out var url) && url.IsLoopback ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;

    public static CookieOptions Options(HttpContext context, CookieSecurePolicy policy, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = policy == CookieSecurePolicy.Always || context.Request.IsHttps,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };
}
