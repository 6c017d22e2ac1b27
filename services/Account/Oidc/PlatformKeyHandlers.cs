using AuthPlatform.Account.Tokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthPlatform.Account.Oidc;

/// <summary>
/// One key ring for the whole platform: OpenIddict signs its JWTs (ID tokens, access tokens) with the platform's
/// current signing key and validates them against the published keys, the same ones /.well-known/jwks.json serves.
/// OpenIddict's own start-up key is a placeholder it insists on; these handlers replace it on every token.
/// </summary>
public static class PlatformKeyHandlers
{
    public sealed class SignWithPlatformKey(SigningKeyRing keys) : IOpenIddictServerHandler<GenerateTokenContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
            OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
                .UseSingletonHandler<SignWithPlatformKey>()
                .SetOrder(OpenIddictServerHandlers.Protection.AttachSecurityCredentials.Descriptor.Order + 1)
                .SetType(OpenIddictServerHandlerType.Custom)
                .Build();

        public async ValueTask HandleAsync(GenerateTokenContext context)
        {
            if (context.SigningCredentials is not null)
            {
                context.SigningCredentials = new SigningCredentials(await keys.ActiveKeyAsync(context.CancellationToken), SecurityAlgorithms.EcdsaSha256);
            }
        }
    }

    public sealed class ValidateWithPlatformKeys(SigningKeyRing keys) : IOpenIddictServerHandler<ValidateTokenContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
            OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
                .UseSingletonHandler<ValidateWithPlatformKeys>()
                .SetOrder(OpenIddictServerHandlers.Protection.ResolveTokenValidationParameters.Descriptor.Order + 1)
                .SetType(OpenIddictServerHandlerType.Custom)
                .Build();

        public async ValueTask HandleAsync(ValidateTokenContext context)
        {
            if (context.TokenValidationParameters is { } parameters)
            {
                parameters.IssuerSigningKeys = await keys.PublishedKeysAsync(context.CancellationToken);
            }
        }
    }

    /// <summary>
    /// Discovery names the gateway's public URL (the issuer) for every endpoint, not the address the request reached
    /// account on, and the platform's one JWKS; OpenIddict's own key-set endpoint is off.
    /// </summary>
    public sealed class AdvertisePublicEndpoints : IOpenIddictServerHandler<HandleConfigurationRequestContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
            OpenIddictServerHandlerDescriptor.CreateBuilder<HandleConfigurationRequestContext>()
                .UseSingletonHandler<AdvertisePublicEndpoints>()
                .SetOrder(OpenIddictServerHandlers.Discovery.AttachEndpoints.Descriptor.Order + 1)
                .SetType(OpenIddictServerHandlerType.Custom)
                .Build();

        public ValueTask HandleAsync(HandleConfigurationRequestContext context)
        {
            var issuer = context.Issuer!.AbsoluteUri.TrimEnd('/');
            context.AuthorizationEndpoint = Public(context.AuthorizationEndpoint);
            context.TokenEndpoint = Public(context.TokenEndpoint);
            context.UserInfoEndpoint = Public(context.UserInfoEndpoint);
            context.EndSessionEndpoint = Public(context.EndSessionEndpoint);
            context.RevocationEndpoint = Public(context.RevocationEndpoint);
            context.IntrospectionEndpoint = Public(context.IntrospectionEndpoint);
            context.JsonWebKeySetEndpoint = new Uri(issuer + AuthenticationExtensions.JwksPath, UriKind.Absolute);
            return ValueTask.CompletedTask;

            Uri? Public(Uri? endpoint) => endpoint is null ? null : new Uri(issuer + endpoint.AbsolutePath, UriKind.Absolute);
        }
    }
}
