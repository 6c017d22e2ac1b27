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

    /// <summary>RP-initiated logout: account sends the browser to the portal's page, which ends its session and comes back with the cookie.</summary>
    public const string EndSessionPath = "/connect/endsession";
    public const string PortalEndSessionPath = "/end-session";
    public const string EndSessionCookie = "authplatform.endsession";

    /// <summary>The acr value an app asks for a second factor with (<c>acr_values=mfa</c>); account's OidcProvider says it too.</summary>
    public const string SecondFactorAcr = "mfa";

    public static bool AsksForSecondFactor(string? acrValues) =>
        acrValues?.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(SecondFactorAcr, StringComparer.Ordinal) == true;
}

/// <param name="Scope">The authorization request's scope parameter (space-separated).</param>
/// <param name="Consent">True when the person has just pressed "Allow".</param>
/// <param name="MaxAge">The request's max_age: the sign-in must be at most this many seconds old.</param>
/// <param name="Deny">The person pressed "Cancel": the ticket makes /connect/authorize answer access_denied to the app.</param>
/// <param name="AcrValues">The request's acr_values (space-separated); "mfa" asks for a sign-in with a second factor.</param>
public sealed record AuthorizationHandoffRequest(string ClientId, string Scope, bool Consent, long? MaxAge = null, bool Deny = false,
    string? AcrValues = null);

/// <summary>Either a ticket for /connect/authorize, or what the portal must do first (ask for consent, or sign the person in again).</summary>
/// <param name="ExpiresIn">Seconds the ticket works.</param>
/// <param name="SignInRequired">
/// The session's sign-in is older than max_age, or the app asks for a second factor the session's sign-in did not
/// use: the person signs in again (with their second factor).
/// </param>
/// <param name="SecondFactorSetupRequired">The app asks for a second factor and the account has none yet: the person sets one up first.</param>
public sealed record AuthorizationHandoffAnswer(bool ConsentRequired, string ClientName, IReadOnlyList<string> Scopes, string? Ticket, int ExpiresIn,
    bool SignInRequired = false, bool SecondFactorSetupRequired = false);
