namespace AuthPlatform.Contracts.Internal;

/// <summary>
/// portal ↔ account around the OpenID Connect authorization endpoint (docs/oidc.md): account's /connect/authorize
/// sends a person it does not know yet to the portal's consent page with the request's query; the portal signs them
/// in, asks for consent, obtains a ticket from account (the caller's bearer token says who and how they signed in)
/// and hands it back to /connect/authorize in a short-lived cookie scoped to that path.
/// </summary>
public static class AuthorizationHandoffCalls
{
    public const string Authorizations = "/api/connected-apps/authorizations";
    public const string AuthorizePath = "/connect/authorize";
    public const string PortalConsentPath = "/consent";
    public const string TicketCookie = "authplatform.authorize";
}

/// <param name="Scope">The authorization request's scope parameter (space-separated).</param>
/// <param name="Consent">True when the person has just pressed "Allow".</param>
/// <param name="MaxAge">The request's max_age: the sign-in must be at most this many seconds old.</param>
public sealed record AuthorizationHandoffRequest(string ClientId, string Scope, bool Consent, long? MaxAge = null);

/// <summary>Either a ticket for /connect/authorize, or what the portal must do first (ask for consent, or sign the person in again).</summary>
/// <param name="ExpiresIn">Seconds the ticket works.</param>
/// <param name="SignInRequired">The session's sign-in is older than max_age: the person signs in again.</param>
public sealed record AuthorizationHandoffAnswer(bool ConsentRequired, string ClientName, IReadOnlyList<string> Scopes, string? Ticket, int ExpiresIn,
    bool SignInRequired = false);
