using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthPlatform.Account.Tokens;

/// <summary>Signs the platform's ES256 access tokens (15 minutes, "kid" in the header, "amr" of the sign-in).</summary>
public sealed class AccessTokenIssuer(SigningKeyRing keys, IConfiguration configuration, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);
    private readonly JsonWebTokenHandler _handler = new();
    private readonly string _issuer = configuration.TokenIssuer();

    public async Task<string> IssueAsync(Guid accountId, string email, IReadOnlyCollection<string> authenticationMethods,
        CancellationToken cancellationToken = default)
    {
        var key = await keys.ActiveKeyAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _issuer,
            Audience = AuthenticationExtensions.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = accountId.ToString(),
                [JwtRegisteredClaimNames.Email] = email,
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
                ["amr"] = authenticationMethods.ToArray(),
            },
        });
    }
}
