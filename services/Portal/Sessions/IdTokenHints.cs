using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace AuthPlatform.Portal.Sessions;

/// <summary>
/// Whom an app's <c>id_token_hint</c> names (RP-initiated logout, /end-session): only a hint signed with the
/// platform's keys and naming its issuer counts, so a link made up elsewhere cannot sign a person out. An expired
/// hint still counts (OpenID Connect RP-Initiated Logout allows it); its audience is the app, whichever it is.
/// </summary>
public sealed class IdTokenHints(IHttpClientFactory httpClients, IConfiguration configuration)
{
    /// <summary>Longer than any ID token the platform issues.</summary>
    public const int MaxLength = 8192;

    private readonly ConfigurationManager<OpenIdConnectConfiguration> _keys =
        AuthenticationExtensions.AccountSigningKeyManager(httpClients, configuration.TokenIssuer());

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    /// <summary>The hint's <c>sub</c> when the platform signed it; null otherwise.</summary>
    public async Task<string?> SubjectAsync(string? idToken, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(idToken) || idToken.Length > MaxLength || !_handler.CanReadToken(idToken))
        {
            return null;
        }
        var keys = await _keys.GetConfigurationAsync(cancellationToken);
        var result = await _handler.ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            // OpenIddict writes the issuer as a URI (with its trailing slash); the API's tokens without it.
            ValidIssuers = [keys.Issuer, keys.Issuer + "/"],
            IssuerSigningKeys = keys.SigningKeys,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            RequireSignedTokens = true,
            ValidateAudience = false,
            ValidateLifetime = false,
        });
        return result.IsValid && result.Claims.TryGetValue("sub", out var sub) ? sub as string : null;
    }
}
