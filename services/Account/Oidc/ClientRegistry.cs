using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthPlatform.Account.Oidc;

/// <summary>A registered OpenID Connect client as the administrators' API shows it (never a secret or its hash).</summary>
public sealed record RegisteredClient(string ClientId, string DisplayName, bool Confidential, IReadOnlyList<string> RedirectUris,
    IReadOnlyList<string> PostLogoutRedirectUris, IReadOnlyList<string> Scopes, bool FromConfiguration);

/// <summary>What registering a client came to: the client and its secret (shown once), or why not.</summary>
public sealed record ClientRegistration(RegisteredClient? Client, string? Secret, ClientRegistrationRefusal? Refusal);

public enum ClientRegistrationRefusal { Invalid, Exists }

public enum ClientRemoval { Removed, NotFound, Configured }

/// <summary>
/// Clients registered by administrators at run time (`authplatform clients`), beside the ones from configuration
/// (<see cref="ConfiguredClients"/>), under the same rules (<see cref="OidcClientOptions.IsValid"/>). The secret is
/// generated here, returned once and stored as its SHA-256 hash. A configured client can be listed but not removed
/// (configuration would bring it back at the next start).
/// </summary>
public sealed class ClientRegistry(IOpenIddictApplicationManager applications, IOpenIddictAuthorizationManager authorizations,
    IOpenIddictTokenManager tokens, IOptions<OidcOptions> options)
{
    public const string SecretPrefix = "ocs_";

    public async Task<IReadOnlyList<RegisteredClient>> ListAsync(CancellationToken cancellationToken)
    {
        var clients = new List<RegisteredClient>();
        foreach (var application in await applications.ListAsync(count: null, offset: null, cancellationToken).ToListAsync(cancellationToken))
        {
            clients.Add(await DescribeAsync(application, cancellationToken));
        }
        return [.. clients.OrderBy(client => client.ClientId, StringComparer.Ordinal)];
    }

    public async Task<ClientRegistration> AddAsync(OidcClientOptions client, bool confidential, CancellationToken cancellationToken)
    {
        var secret = confidential ? OpaqueToken.New(32, SecretPrefix) : null;
        client.ClientSecretHash = secret is null ? "" : HashedSecretApplicationManager<object>.Hash(secret);
        if (!client.IsValid())
        {
            return new ClientRegistration(null, null, ClientRegistrationRefusal.Invalid);
        }
        if (await applications.FindByClientIdAsync(client.ClientId, cancellationToken) is not null)
        {
            return new ClientRegistration(null, null, ClientRegistrationRefusal.Exists);
        }
        var application = await applications.CreateAsync(ConfiguredClients.Describe(client), cancellationToken);
        return new ClientRegistration(await DescribeAsync(application, cancellationToken), secret, null);
    }

    /// <summary>Removes the client with its consents and every token issued to it.</summary>
    public async Task<ClientRemoval> RemoveAsync(string clientId, CancellationToken cancellationToken)
    {
        if (IsConfigured(clientId))
        {
            return ClientRemoval.Configured;
        }
        if (await applications.FindByClientIdAsync(clientId, cancellationToken) is not { } application
            || await applications.GetIdAsync(application, cancellationToken) is not { } applicationId)
        {
            return ClientRemoval.NotFound;
        }
        await tokens.RevokeByApplicationIdAsync(applicationId, cancellationToken);
        await authorizations.RevokeByApplicationIdAsync(applicationId, cancellationToken);
        await applications.DeleteAsync(application, cancellationToken);
        return ClientRemoval.Removed;
    }

    private bool IsConfigured(string clientId) => options.Value.Clients.Any(client => client.ClientId == clientId);

    private async Task<RegisteredClient> DescribeAsync(object application, CancellationToken cancellationToken)
    {
        var clientId = await applications.GetClientIdAsync(application, cancellationToken) ?? "";
        var permissions = await applications.GetPermissionsAsync(application, cancellationToken);
        ImmutableArray<string> scopes =
        [
            Scopes.OpenId,
            .. permissions.Where(p => p.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal)).Select(p => p[Permissions.Prefixes.Scope.Length..]),
            .. permissions.Contains(Permissions.GrantTypes.RefreshToken) ? [Scopes.OfflineAccess] : Array.Empty<string>(),
        ];
        return new RegisteredClient(clientId, await applications.GetDisplayNameAsync(application, cancellationToken) ?? clientId,
            await applications.HasClientTypeAsync(application, ClientTypes.Confidential, cancellationToken),
            [.. await applications.GetRedirectUrisAsync(application, cancellationToken)],
            [.. await applications.GetPostLogoutRedirectUrisAsync(application, cancellationToken)],
            scopes, IsConfigured(clientId));
    }
}
