using System.Collections.Immutable;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthPlatform.Account.Oidc;

/// <summary>
/// The apps a person has consented to, and withdrawing that consent: the client's authorizations for the person are
/// revoked with every token issued under them (refresh tokens stop working, access tokens are refused by userinfo),
/// and the next sign-in to that app asks for consent again.
/// </summary>
public sealed class ConnectedApps(IOpenIddictAuthorizationManager authorizations, IOpenIddictApplicationManager applications,
    IOpenIddictTokenManager tokens)
{
    public async Task<IReadOnlyList<ConnectedApp>> ListAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var apps = new Dictionary<string, ConnectedApp>(StringComparer.Ordinal);
        // Read to the end first: one connection cannot run the next query while a result is still streaming.
        foreach (var authorization in await authorizations.FindBySubjectAsync(accountId.ToString(), cancellationToken).ToListAsync(cancellationToken))
        {
            if (!await authorizations.HasStatusAsync(authorization, Statuses.Valid, cancellationToken)
                || !await authorizations.HasTypeAsync(authorization, AuthorizationTypes.Permanent, cancellationToken)
                || await authorizations.GetApplicationIdAsync(authorization, cancellationToken) is not { } applicationId
                || await applications.FindByIdAsync(applicationId, cancellationToken) is not { } application
                || await applications.GetClientIdAsync(application, cancellationToken) is not { } clientId)
            {
                continue;
            }
            var scopes = await authorizations.GetScopesAsync(authorization, cancellationToken);
            var allowedAt = await authorizations.GetCreationDateAsync(authorization, cancellationToken);
            apps[clientId] = apps.TryGetValue(clientId, out var known)
                ? known with { Scopes = [.. known.Scopes.Union(scopes, StringComparer.Ordinal)], AllowedAt = Earliest(known.AllowedAt, allowedAt) }
                : new ConnectedApp(clientId, await applications.GetDisplayNameAsync(application, cancellationToken) ?? clientId,
                    [.. scopes], allowedAt);
        }
        return [.. apps.Values.OrderBy(app => app.Name, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>False when the person has no consent for that client.</summary>
    public async Task<bool> RemoveAsync(Guid accountId, string clientId, CancellationToken cancellationToken)
    {
        if (await applications.FindByClientIdAsync(clientId, cancellationToken) is not { } application
            || await applications.GetIdAsync(application, cancellationToken) is not { } applicationId)
        {
            return false;
        }
        var subject = accountId.ToString();
        var found = false;
        foreach (var authorization in await authorizations.FindAsync(subject, applicationId, status: null, type: null,
            scopes: (ImmutableArray<string>?)null, cancellationToken).ToListAsync(cancellationToken))
        {
            found = true;
            await authorizations.TryRevokeAsync(authorization, cancellationToken);
            if (await authorizations.GetIdAsync(authorization, cancellationToken) is { } authorizationId)
            {
                await tokens.RevokeByAuthorizationIdAsync(authorizationId, cancellationToken);
            }
        }
        return found;
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;
}
