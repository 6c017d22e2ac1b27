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

    public Task<IActionResult> OnGetAsync() => HandOffAsync(consent: false);

    /// <summary>"Allow": consent is remembered for this client and these scopes.</summary>
    public Task<IActionResult> OnPostAsync() => HandOffAsync(consent: true);

    private async Task<IActionResult> HandOffAsync(bool consent)
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
            new AuthorizationHandoffRequest(clientId, scope, consent, maxAge), accessToken, HttpContext.RequestAborted);
        if (answer.Value is not { } handoff)
        {
            return Refused(answer.Problem!);
        }
        if (handoff.SignInRequired)
        {
            // The fresh sign-in satisfies max_age; carrying it on would ask again whenever a second has passed.
            return await SignInAgainAsync(Request.Query.Where(p => p.Key != "max_age"));
        }
        ClientName = handoff.ClientName;
        Scopes = handoff.Scopes;
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
        return Redirect(AuthorizationHandoffCalls.AuthorizePath + Request.QueryString);
    }

    private async Task<IActionResult> SignInAgainAsync(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> query)
    {
        await session.EndAsync(HttpContext);
        var returnUrl = AuthorizationHandoffCalls.PortalConsentPath + QueryString.Create(query);
        return Redirect("/sign-in?returnUrl=" + Uri.EscapeDataString(returnUrl));
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
