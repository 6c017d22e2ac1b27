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
public sealed record AuthorizationHandoffRequest(string ClientId, string Scope, bool Consent);

/// <summary>Either a ticket for /connect/authorize, or what the consent page must ask.</summary>
/// <param name="ExpiresIn">Seconds the ticket works.</param>
public sealed record AuthorizationHandoffAnswer(bool ConsentRequired, string ClientName, IReadOnlyList<string> Scopes, string? Ticket, int ExpiresIn);
