using System.Security.Claims;
using AuthPlatform.Account.Oidc;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AuthPlatform.Account.Apis;

/// <summary>
/// "Connected apps" (the portal's account page): the OpenID Connect clients the person has allowed, and withdrawing
/// that consent, which ends the app's access at once (its tokens are revoked).
/// </summary>
public static class ConnectedAppsApi
{
    public const int MaxClientIdLength = 100;

    public static IEndpointRouteBuilder MapConnectedAppsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/connected-apps").WithTags("OpenID Connect").RequireAuthorization().RequireSessionToken();
        api.MapGet("/", ListAsync).WithSummary("The apps the person has allowed to use their account");
        api.MapDelete("/{clientId}", RemoveAsync).WithSummary("Withdraw consent: the app's authorization and its tokens are revoked");
        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<ConnectedApp>>, UnauthorizedHttpResult>> ListAsync(
        ClaimsPrincipal user, ConnectedApps apps, CancellationToken cancellationToken) =>
        user.AccountId() is { } accountId ? TypedResults.Ok(await apps.ListAsync(accountId, cancellationToken)) : TypedResults.Unauthorized();

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult, UnauthorizedHttpResult>> RemoveAsync(
        string clientId, ClaimsPrincipal user, ConnectedApps apps, CancellationToken cancellationToken)
    {
        if (user.AccountId() is not { } accountId)
        {
            return TypedResults.Unauthorized();
        }
        if (clientId.Length is 0 or > MaxClientIdLength)
        {
            return Problems.Invalid($"clientId must be 1 to {MaxClientIdLength} characters.");
        }
        return await apps.RemoveAsync(accountId, clientId, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();
    }
}
