using AuthPlatform.Account.Administration;
using AuthPlatform.Account.Infrastructure;
using AuthPlatform.Account.Tokens;
using Microsoft.IdentityModel.Tokens;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthPlatform.Account.Oidc;

/// <summary>
/// The OpenID Connect provider (OpenIddict, stores in accountdb): authorization code flow with PKCE (S256 only),
/// refresh tokens rotated on every use, userinfo, RP-initiated logout, revocation and introspection for
/// confidential clients. Tokens are signed by the platform's one key ring (<see cref="PlatformKeyHandlers"/>).
/// </summary>
public static class OidcProvider
{
    public const string AuthorizePath = "connect/authorize";
    public const string TokenPath = "connect/token";
    public const string UserInfoPath = "connect/userinfo";
    public const string EndSessionPath = "connect/endsession";
    public const string RevocationPath = "connect/revoke";
    public const string IntrospectionPath = "connect/introspect";

    /// <summary>The acr values: "mfa" after a second factor (an app asks for it with acr_values=mfa), "pwd" otherwise.</summary>
    public const string SecondFactorAcr = AuthPlatform.Contracts.Internal.AuthorizationHandoffCalls.SecondFactorAcr;
    public const string PasswordAcr = "pwd";

    public static bool AsksForSecondFactor(string? acrValues) => AuthPlatform.Contracts.Internal.AuthorizationHandoffCalls.AsksForSecondFactor(acrValues);

    public static IHostApplicationBuilder AddOidcProvider(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OidcOptions>().BindConfiguration(OidcOptions.Section)
            .Validate(o => o.IsValid(),
                "Oidc: each client needs a unique ClientId, a DisplayName, a 64-hex-digit ClientSecretHash or none, exact https (or loopback http) "
                + "redirect URIs, and scopes among openid (required), profile, email, offline_access; TicketLifetime and AuthorizationCodeLifetime within 10 minutes.")
            .ValidateOnStart();
        builder.Services.AddSingleton<AuthorizationTickets>();
        builder.Services.AddScoped<ConnectedApps>();
        builder.Services.AddScoped<ClientRegistry>();
        builder.Services.AddOptions<AdministratorOptions>().BindConfiguration(AdministratorOptions.Section)
            .Validate(o => o.IsValid(), "Administrators:Emails must be email addresses (no spaces around them).")
            .ValidateOnStart();
        builder.Services.AddScoped<Administrators>();
        builder.Services.AddHostedService<ConfiguredClients>();

        var issuer = new Uri(builder.Configuration.TokenIssuer(), UriKind.Absolute);
        builder.Services.AddOpenIddict()
            .AddCore(core =>
            {
                core.UseEntityFrameworkCore().UseDbContext<AccountDbContext>();
                core.ReplaceApplicationManager(typeof(HashedSecretApplicationManager<>));
            })
            .AddServer(server =>
            {
                server.SetIssuer(issuer);
                server.SetAuthorizationEndpointUris(AuthorizePath)
                    .SetTokenEndpointUris(TokenPath)
                    .SetUserInfoEndpointUris(UserInfoPath)
                    .SetEndSessionEndpointUris(EndSessionPath)
                    .SetRevocationEndpointUris(RevocationPath)
                    .SetIntrospectionEndpointUris(IntrospectionPath);
                server.AllowAuthorizationCodeFlow().AllowRefreshTokenFlow();
                server.RequireProofKeyForCodeExchange();
                server.RegisterScopes(Scopes.Email, Scopes.Profile, Scopes.OfflineAccess);
                server.RegisterClaims(Claims.Subject, Claims.Email, Claims.EmailVerified, Claims.PreferredUsername,
                    Claims.AuthenticationMethodReference, Claims.AuthenticationTime, Claims.AuthenticationContextReference);
                server.SetAccessTokenLifetime(AccessTokenIssuer.Lifetime);
                server.SetAuthorizationCodeLifetime(builder.Configuration.GetSection(OidcOptions.Section).Get<OidcOptions>()?.AuthorizationCodeLifetime
                    ?? new OidcOptions().AuthorizationCodeLifetime);
                // Reuse detection as for the API's refresh tokens: a spent refresh token is refused at once (OpenIddict's
                // default 30 s grace would accept it) and revokes the tokens of its grant.
                server.SetRefreshTokenReuseLeeway(null);

                // Placeholders OpenIddict requires at start: every JWT is signed by the platform's key ring instead, and
                // codes and refresh tokens are sealed with Data Protection (its ring is in accountdb), not encrypted JWTs.
                server.AddEphemeralSigningKey(SecurityAlgorithms.EcdsaSha256).AddEphemeralEncryptionKey();
                server.DisableAccessTokenEncryption();
                server.UseDataProtection().PreferDefaultAccessTokenFormat();
                server.AddEventHandler(PlatformKeyHandlers.SignWithPlatformKey.Descriptor);
                server.AddEventHandler(PlatformKeyHandlers.ValidateWithPlatformKeys.Descriptor);
                server.AddEventHandler(PlatformKeyHandlers.AdvertisePublicEndpoints.Descriptor);
                server.Configure(options =>
                {
                    // S256 only (OAuth 2.0 Security BCP): "plain" is refused as invalid_request.
                    options.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain);
                    // The platform's JWKS (/.well-known/jwks.json, WellKnownApi) is the only one.
                    options.JsonWebKeySetEndpointUris.Clear();
                });

                var aspNetCore = server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough();
                if (issuer.Scheme == Uri.UriSchemeHttp)
                {
                    // Development and tests behind a plain-HTTP gateway; a real deployment's PublicBaseUrl is https.
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            });
        return builder;
    }
}
