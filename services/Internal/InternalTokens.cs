using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthPlatform.Internal;

/// <summary>
/// Service tokens for /internal calls: ES256 JWTs of type <c>internal+jwt</c>, <c>iss</c> = the calling service,
/// <c>aud</c> = the called service, 60 s lifetime. The account a call is about (<c>sub</c>) and the end user's
/// address (<c>client_addr</c>) travel inside the signed token, so nobody can set them in a body.
/// </summary>
public sealed class InternalTokens
{
    public const string TokenType = "internal+jwt";
    public const string SubjectClaim = "sub";
    public const string ClientAddressClaim = "client_addr";
    public const string IssuerClaim = "iss";

    /// <summary>Tokens promising to live longer than this are refused, whatever their signature.</summary>
    private static readonly TimeSpan MaxAcceptedLifetime = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(5);

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false, SetDefaultTimesOnTokenCreation = false };
    private readonly InternalAuthOptions _options;
    private readonly TimeProvider _time;
    private readonly SigningCredentials? _signing;
    private readonly Dictionary<string, ECDsaSecurityKey> _callers;

    public InternalTokens(InternalAuthOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        if (!string.IsNullOrWhiteSpace(options.SigningKey))
        {
            _signing = new SigningCredentials(new ECDsaSecurityKey(LoadKey(options.SigningKey, privateKey: true)), SecurityAlgorithms.EcdsaSha256);
        }
        _callers = options.Callers.ToDictionary(c => c.Key, c => new ECDsaSecurityKey(LoadKey(c.Value, privateKey: false)), StringComparer.Ordinal);
    }

    public string ServiceName => _options.ServiceName;

    /// <summary>A token for one call to <paramref name="audience"/>.</summary>
    public string Mint(string audience, string? subject = null, string? clientAddress = null)
    {
        if (_signing is null)
        {
            throw new InvalidOperationException($"{InternalAuthOptions.Section}__SigningKey is not set: {ServiceName} cannot call other services.");
        }
        var now = _time.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object> { ["jti"] = Guid.NewGuid().ToString("N") };
        if (subject is not null)
        {
            claims[SubjectClaim] = subject;
        }
        if (clientAddress is not null)
        {
            claims[ClientAddressClaim] = clientAddress;
        }
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = ServiceName,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + _options.TokenLifetime,
            Claims = claims,
            TokenType = TokenType,
            SigningCredentials = _signing,
        });
    }

    /// <summary>The caller's identity when the token is ours to accept (signed by a known caller, for us, in time); else null.</summary>
    public async Task<ClaimsIdentity?> ValidateAsync(string token)
    {
        string? issuer;
        try
        {
            issuer = _handler.CanReadToken(token) ? _handler.ReadJsonWebToken(token).Issuer : null;
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenException)
        {
            return null; // not even a readable JWT
        }
        if (issuer is null || !_callers.TryGetValue(issuer, out var key))
        {
            return null;
        }
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = ServiceName,
            IssuerSigningKey = key,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ValidTypes = [TokenType],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            RequireAudience = true,
            ValidateLifetime = true,
            LifetimeValidator = (notBefore, expires, _, _) => IsWithinLifetime(notBefore, expires),
            NameClaimType = SubjectClaim,
            AuthenticationType = Microsoft.Extensions.Hosting.InternalApi.Scheme,
        });
        return result.IsValid ? result.ClaimsIdentity : null;
    }

    private bool IsWithinLifetime(DateTime? notBefore, DateTime? expires)
    {
        if (notBefore is not { } from || expires is not { } until || until - from > MaxAcceptedLifetime)
        {
            return false;
        }
        var now = _time.GetUtcNow().UtcDateTime;
        return now + ClockSkew >= from && now - ClockSkew < until;
    }

    /// <summary>A P-256 key from PEM or from base64 DER (PKCS#8 for private keys, SubjectPublicKeyInfo for public ones).</summary>
    public static ECDsa LoadKey(string text, bool privateKey)
    {
        var key = ECDsa.Create();
        try
        {
            if (text.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                key.ImportFromPem(text);
            }
            else if (privateKey)
            {
                key.ImportPkcs8PrivateKey(Convert.FromBase64String(text.Trim()), out _);
            }
            else
            {
                key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(text.Trim()), out _);
            }
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException or ArgumentException)
        {
            key.Dispose();
            throw new InvalidOperationException($"An {InternalAuthOptions.Section} key is not a P-256 {(privateKey ? "private" : "public")} key in PEM or base64 DER.", ex);
        }
        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new InvalidOperationException($"{InternalAuthOptions.Section} keys must be P-256 (ES256).");
        }
        return key;
    }
}
