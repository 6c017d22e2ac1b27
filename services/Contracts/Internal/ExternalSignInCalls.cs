namespace AuthPlatform.Contracts.Internal;

/// <summary>
/// portal → account: a person came back from an external identity provider (Google) whose ID token the portal has
/// validated (signature, issuer, audience, nonce, state). Account decides what it means: a sign-in, a second-factor
/// step, a link that needs proof, or a refusal. Only the portal may call it (a service token), because only the
/// portal ran the redirect and checked the token.
/// </summary>
public static class ExternalSignInCalls
{
    public const string Group = "/internal/external-sign-in";

    /// <summary>The providers account accepts identities from; the value is also the session's <c>amr</c> entry.</summary>
    public const string Google = "google";

    public static bool IsKnownProvider(string? provider) => provider is Google;
}

/// <param name="Subject">The provider's stable id for the person (<c>sub</c>), never their address.</param>
/// <param name="EmailVerified">The provider's own <c>email_verified</c>: only a verified address creates or links an account.</param>
public sealed record ExternalSignInRequest(string Provider, string Subject, string Email, bool EmailVerified);

/// <summary>What happened, in <see cref="Result"/>; the other fields belong to that result.</summary>
/// <param name="Result">One of <see cref="ExternalSignInResults"/>.</param>
/// <param name="LinkToken">For <c>link-required</c>: spent by POST /api/accounts/me/external-identities once the owner proved the password.</param>
/// <param name="Email">The account's address (link-required) as the owner typed it.</param>
public sealed record ExternalSignInAnswer(string Result, string? AccessToken = null, string? RefreshToken = null, int? ExpiresIn = null,
    string? MfaToken = null, IReadOnlyList<string>? Methods = null, string? LinkToken = null, string? Email = null, bool NewAccount = false);

public static class ExternalSignInResults
{
    public const string SignedIn = "signed-in";
    public const string MfaRequired = "mfa-required";
    public const string LinkRequired = "link-required";
}
