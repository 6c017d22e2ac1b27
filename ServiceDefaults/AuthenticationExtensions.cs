using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Microsoft.Extensions.Hosting;

public static class AuthenticationExtensions
{
    /// <summary>
    /// The services that accept the platform's access tokens; every token names them all in "aud", and each
    /// service accepts only tokens naming itself (so a token minted for another audience, e.g. an OIDC client,
    /// is refused).
    /// </summary>
    public static readonly IReadOnlyList<string> ApiAudiences = ["account", "mfa", "verification"];

    /// <summary>The one token type the APIs accept (RFC 9068): an ID token or other JWT is never an access token.</summary>
    public const string AccessTokenType = "at+jwt";
    public const string AccountServiceBaseAddress = "http://account";
    public const string JwksPath = "/.well-known/jwks.json";

    /// <summary>The issuer named in every access token: the gateway's public URL.</summary>
    public static string TokenIssuer(this IConfiguration configuration) =>
        (configuration["Identity:Issuer"] ?? configuration["PublicBaseUrl"] ?? "http://localhost:8080").TrimEnd('/');

    /// <summary>
    /// Bearer authentication for access tokens issued by the account service. Signing keys come from
    /// account's JWKS, fetched through service discovery and refreshed when an unknown key id shows up.
    /// </summary>
    public static IHostApplicationBuilder AddDefaultAuthentication(this IHostApplicationBuilder builder, string audience)
    {
        var issuer = builder.Configuration.TokenIssuer();
        builder.Services.AddHttpClient(SigningKeysClient);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IHttpClientFactory>((options, httpClients) =>
            {
                options.MapInboundClaims = false;
                options.ConfigurationManager = AccountSigningKeyManager(httpClients, issuer);
                options.TokenValidationParameters = StrictTokenValidation(issuer, audience);
            });
        builder.Services.AddAuthorization();
        return builder;
    }

    /// <summary>
    /// Account's signing keys (its JWKS) through service discovery, refreshed every 10 minutes and when an unknown
    /// key id shows up; the issuer is the one every platform token names. Register the named HttpClient
    /// <see cref="SigningKeysClient"/> (AddDefaultAuthentication does).
    /// </summary>
    public static ConfigurationManager<OpenIdConnectConfiguration> AccountSigningKeyManager(IHttpClientFactory httpClients, string issuer) =>
        new(AccountServiceBaseAddress + JwksPath, new AccountSigningKeys(issuer),
            // Plain HTTP is the internal hop resolved by service discovery, never the public edge.
            new HttpDocumentRetriever(httpClients.CreateClient(SigningKeysClient)) { RequireHttps = false })
        {
            AutomaticRefreshInterval = TimeSpan.FromMinutes(10),
            RefreshInterval = TimeSpan.FromSeconds(30),
        };

    public const string SigningKeysClient = nameof(AccountSigningKeys);

    public static TokenValidationParameters StrictTokenValidation(string issuer, string audience) => new()
    {
        ValidIssuer = issuer,
        ValidAudience = ApiAudiences.Contains(audience) ? audience : throw new ArgumentException($"{audience} is not an API audience."),
        ValidTypes = [AccessTokenType],
        ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateLifetime = true,
        ClockSkew = TimeSpan.FromSeconds(30),
        NameClaimType = "sub",
    };

    /// <summary>Turns account's JWKS document into the configuration JwtBearer validates against.</summary>
    private sealed class AccountSigningKeys(string issuer) : IConfigurationRetriever<OpenIdConnectConfiguration>
    {
        public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
        {
            var json = await retriever.GetDocumentAsync(address, cancel);
            var keys = new JsonWebKeySet(json);
            var configuration = new OpenIdConnectConfiguration { Issuer = issuer, JwksUri = address, JsonWebKeySet = keys };
            foreach (var key in keys.GetSigningKeys())
            {
                configuration.SigningKeys.Add(key);
            }
            return configuration;
        }
    }
}
