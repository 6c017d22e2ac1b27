using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthPlatform.Account.Tokens;

/// <summary>What an access token says about the sign-in behind it: absent for tokens minted from an access key.</summary>
public sealed record SessionClaims(Guid SessionId, DateTimeOffset AuthenticatedAt);

/// <summary>
/// Signs the platform's ES256 access tokens (RFC 9068 "at+jwt", 15 minutes, "kid" in the header, "amr" of the
/// sign-in, and for sessions "sid" and "auth_time", which sensitive changes check).
/// </summary>
public sealed class AccessTokenIssuer(SigningKeyRing keys, IConfiguration configuration, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);
    private readonly JsonWebTokenHandler _handler = new();
    private readonly string _issuer = configuration.TokenIssuer();

    public async Task<string> IssueAsync(Guid accountId, string email, IReadOnlyCollection<string> authenticationMethods,
        SessionClaims? session, CancellationToken cancellationToken = default)
    {
        var key = await keys.ActiveKeyAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = accountId.ToString(),
            [JwtRegisteredClaimNames.Aud] = AuthenticationExtensions.ApiAudiences.ToArray(),
            [JwtRegisteredClaimNames.Email] = email,
            [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
            ["amr"] = authenticationMethods.ToArray(),
        };
        if (session is not null)
        {
            claims[SignedInCaller.SessionIdClaim] = session.SessionId.ToString();
            claims[SignedInCaller.AuthenticatedAtClaim] = session.AuthenticatedAt.ToUnixTimeSeconds();
        }
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = AuthenticationExtensions.AccessTokenType,
            Issuer = _issuer,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
            Claims = claims,
        });
    }
}
