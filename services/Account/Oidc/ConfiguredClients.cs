using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthPlatform.Account.Oidc;

/// <summary>
/// Writes the relying parties named in configuration (<see cref="OidcOptions.Clients"/>) into OpenIddict's
/// application store at start, creating or updating each; the database follows configuration. Until the migrations have
/// run the tables are missing, so it retries with a growing delay.
/// </summary>
public sealed partial class ConfiguredClients(IServiceScopeFactory scopes, IOptions<OidcOptions> options,
    ILogger<ConfiguredClients> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RegisterAsync(stoppingToken);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogRegistrationFailed(logger, ex, delay);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 10_000));
            }
        }
    }

    private async Task RegisterAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        foreach (var client in options.Value.Clients)
        {
            var descriptor = Describe(client);
            if (await applications.FindByClientIdAsync(client.ClientId, cancellationToken) is { } existing)
            {
                await applications.UpdateAsync(existing, descriptor, cancellationToken);
            }
            else
            {
                await applications.CreateAsync(descriptor, cancellationToken);
            }
            LogClientRegistered(logger, client.ClientId, client.RedirectUris.Count);
        }
    }

    public static OpenIddictApplicationDescriptor Describe(OidcClientOptions client)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = client.ClientId,
            DisplayName = client.DisplayName,
            ClientType = client.IsConfidential ? ClientTypes.Confidential : ClientTypes.Public,
            ClientSecret = client.IsConfidential ? client.ClientSecretHash : null,
            ConsentType = ConsentTypes.Explicit,
            Permissions =
            {
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.Token,
                Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.ResponseTypes.Code,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        if (client.IsConfidential)
        {
            descriptor.Permissions.Add(Permissions.Endpoints.Revocation);
            descriptor.Permissions.Add(Permissions.Endpoints.Introspection);
        }
        foreach (var scope in client.Scopes.Where(scope => scope is not Scopes.OpenId))
        {
            descriptor.Permissions.Add(scope == Scopes.OfflineAccess ? Permissions.GrantTypes.RefreshToken : Permissions.Prefixes.Scope + scope);
        }
        foreach (var uri in client.RedirectUris)
        {
            descriptor.RedirectUris.Add(new Uri(uri, UriKind.Absolute));
        }
        foreach (var uri in client.PostLogoutRedirectUris)
        {
            descriptor.PostLogoutRedirectUris.Add(new Uri(uri, UriKind.Absolute));
        }
        return descriptor;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "OpenID Connect client {ClientId} registered from configuration ({RedirectUris} redirect URIs)")]
    private static partial void LogClientRegistered(ILogger logger, string clientId, int redirectUris);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registering the configured OpenID Connect clients failed; retrying in {Delay}")]
    private static partial void LogRegistrationFailed(ILogger logger, Exception exception, TimeSpan delay);
}
