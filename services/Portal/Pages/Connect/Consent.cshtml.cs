using AuthPlatform.Contracts.Internal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace AuthPlatform.Portal.Pages.Connect;

/// <summary>
/// The sign-in UI of the OpenID Connect authorization endpoint (docs/oidc.md): account's /connect/authorize sends a
/// person here with the request's query. Signed in (the cookie's challenge goes through /sign-in and its 2FA step),
/// they consent once per client; the portal then hands a ticket from account back to /connect/authorize in a cookie
/// scoped to that path, and the browser returns there with the same query.
/// </summary>
/// prompt=login and a max_age the session's sign-in is older than end the portal session and sign in again.
[Authorize]
public sealed class ConsentModel(PlatformApi api, PortalSession session) : PortalPage
{
    public const int MaxQueryLength = MaxReturnUrlLength - 16;

    public string ClientName { get; private set; } = "";

    public IReadOnlyList<string> Scopes { get; private set; } = [];

    /// <summary>The app asks for a second factor (acr_values=mfa) and the account has none yet.</summary>
    public bool SecondFactorSetupRequired { get; private set; }

    /// <summary>Set once account has handed over a ticket: the page sends the browser back to /connect/authorize.</summary>
    public string? ContinueUrl { get; private set; }

    public Task<IActionResult> OnGetAsync() => HandOffAsync(consent: false);

    /// <summary>
    /// "Allow": consent is remembered for this client and these scopes. "Cancel": the app hears access_denied at its
    /// redirect URI (RFC 6749 §4.1.2.1) and nothing is remembered. (One handler: the form posts to this URL, query included.)
    /// </summary>
    public Task<IActionResult> OnPostAsync([FromForm] string? decision) =>
        decision == "cancel" ? HandOffAsync(consent: false, deny: true) : HandOffAsync(consent: true);

    private async Task<IActionResult> HandOffAsync(bool consent, bool deny = false)
    {
        var clientId = Request.Query["client_id"].ToString();
        var scope = Request.Query["scope"].ToString();
        if (clientId.Length is 0 or > 100 || scope.Length > 1000 || (Request.QueryString.Value?.Length ?? 0) > MaxQueryLength)
        {
            FormError = "This sign-in request is incomplete. Go back to the app and start again.";
            return PageWithStatus(StatusCodes.Status400BadRequest);
        }
        if (await PortalSession.AccessTokenOf(HttpContext) is not { } accessToken)
        {
            return Challenge();
        }
        if (Request.Query["prompt"].ToString().Split(' ').Contains("login"))
        {
            // Once signed in again, the request goes on without prompt=login (else it would ask forever).
            return await SignInAgainAsync(Request.Query.Where(p => p.Key != "prompt"));
        }
        long? maxAge = long.TryParse(Request.Query["max_age"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? seconds : null;
        var answer = await api.SendAsync<AuthorizationHandoffAnswer>(PlatformApi.Account, HttpMethod.Post, AuthorizationHandoffCalls.Authorizations,
            new AuthorizationHandoffRequest(clientId, scope, consent, maxAge, deny, Request.Query["acr_values"].ToString()), accessToken, HttpContext.RequestAborted);
        if (answer.Value is not { } handoff)
        {
            return Refused(answer.Problem!);
        }
        if (handoff.SignInRequired)
        {
            // The fresh sign-in satisfies max_age (and acr_values=mfa: an account with a second factor signs in with it);
            // carrying max_age on would ask again whenever a second has passed.
            return await SignInAgainAsync(Request.Query.Where(p => p.Key != "max_age"));
        }
        ClientName = handoff.ClientName;
        Scopes = handoff.Scopes;
        if (handoff.SecondFactorSetupRequired)
        {
            // The app asks for a second factor (acr_values=mfa) and the account has none: set one up, or cancel.
            SecondFactorSetupRequired = true;
            return Page();
        }
        if (handoff.ConsentRequired || handoff.Ticket is null)
        {
            return Page();
        }
        Response.Cookies.Append(AuthorizationHandoffCalls.TicketCookie, handoff.Ticket, new CookieOptions
        {
            Path = AuthorizationHandoffCalls.AuthorizePath,
            HttpOnly = true,
            Secure = Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            MaxAge = TimeSpan.FromSeconds(handoff.ExpiresIn),
            IsEssential = true,
        });
        // Not a redirect: after a form (sign-in, 2FA, consent) the browser applies the page's CSP form-action 'self' to
        // the whole redirect chain, which ends at the app's redirect URI on another origin. A Refresh is a new navigation.
        ContinueUrl = AuthorizationHandoffCalls.AuthorizePath + Request.QueryString;
        Response.Headers["Refresh"] = "0;url=" + ContinueUrl;
        return Page();
    }

    private async Task<IActionResult> SignInAgainAsync(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> query)
    {
        await session.EndAsync(HttpContext);
        var returnUrl = AuthorizationHandoffCalls.PortalConsentPath + QueryString.Create(query);
        // fresh=1: the app asked for a new sign-in, so a remembered browser gives its second factor too.
        return Redirect("/sign-in?fresh=1&returnUrl=" + Uri.EscapeDataString(returnUrl));
    }

    /// <summary>What each scope lets the app see, in words.</summary>
    public static string Describe(string scope) => scope switch
    {
        "openid" => "Know that it is you (your account id)",
        "profile" => "Your user name",
        "email" => "Your email address",
        "offline_access" => "Stay connected while you are away",
        _ => scope,
    };
}
