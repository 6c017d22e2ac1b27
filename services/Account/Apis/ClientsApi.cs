using System.Security.Claims;
using AuthPlatform.Account.Administration;
using AuthPlatform.Account.Oidc;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AuthPlatform.Account.Apis;

/// <param name="Confidential">True (the default): a client secret is generated and shown once; false: a public client (PKCE only).</param>
public sealed record RegisterClientRequest(string? ClientId, string? DisplayName, List<string>? RedirectUris, List<string>? PostLogoutRedirectUris,
    List<string>? Scopes, bool Confidential = true);

/// <param name="ClientSecret">Only in this answer, and only for a confidential client.</param>
public sealed record RegisteredClientWithSecret(RegisteredClient Client, string? ClientSecret);

/// <summary>
/// OpenID Connect client registration for administrators (`authplatform clients add|list|remove`, docs/oidc.md): a
/// session's bearer token (not an access key's) whose account holds the administrator role (Administrators:Emails).
/// </summary>
public static class ClientsApi
{
    public const int MaxUris = 10;

    public static IEndpointRouteBuilder MapClientsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/clients").WithTags("OpenID Connect clients").RequireAuthorization().RequireSessionToken()
            .AddEndpointFilter(async (context, next) =>
                await context.HttpContext.RequestServices.GetRequiredService<Administrators>()
                    .IsAdministratorAsync(context.HttpContext.User, context.HttpContext.RequestAborted)
                    ? await next(context)
                    : TypedResults.Problem("Only an administrator can manage OpenID Connect clients.", statusCode: 403,
                        title: "Administrator role required", type: ProblemTypes.Base + "administrator-required"));
        api.MapGet("/", ListAsync).WithSummary("Every registered client (from configuration or the API), never a secret");
        api.MapPost("/", AddAsync).WithSummary("Register a client; a confidential client's secret is shown only in this answer");
        api.MapDelete("/{clientId}", RemoveAsync).WithSummary("Remove a client registered through the API, with its consents and tokens");
        return app;
    }

    public static async Task<Ok<IReadOnlyList<RegisteredClient>>> ListAsync(ClientRegistry registry, CancellationToken cancellationToken) =>
        TypedResults.Ok(await registry.ListAsync(cancellationToken));

    public static async Task<Results<Created<RegisteredClientWithSecret>, ProblemHttpResult>> AddAsync(
        RegisterClientRequest request, ClientRegistry registry, CancellationToken cancellationToken)
    {
        if (new[] { request.RedirectUris, request.PostLogoutRedirectUris, request.Scopes }.Any(list => list?.Count > MaxUris))
        {
            return Problems.Invalid($"At most {MaxUris} redirect URIs, post-logout redirect URIs and scopes each.");
        }
        var client = new OidcClientOptions
        {
            ClientId = request.ClientId?.Trim() ?? "",
            DisplayName = request.DisplayName?.Trim() ?? "",
            RedirectUris = request.RedirectUris ?? [],
            PostLogoutRedirectUris = request.PostLogoutRedirectUris ?? [],
            Scopes = request.Scopes is { Count: > 0 } scopes ? [.. scopes.Append("openid").Distinct(StringComparer.Ordinal)] : ["openid", "profile", "email"],
        };
        var registration = await registry.AddAsync(client, request.Confidential, cancellationToken);
        return registration.Refusal switch
        {
            ClientRegistrationRefusal.Exists => TypedResults.Problem($"A client with the id '{client.ClientId}' is already registered.",
                statusCode: 409, title: "Client exists", type: ProblemTypes.Base + "client-exists"),
            ClientRegistrationRefusal.Invalid => Problems.Invalid(
                "clientId and displayName need 1 to 100 characters; at least one redirect URI; every URI absolute, without a fragment, "
                + $"and https (http only on a loopback address); scopes among {string.Join(", ", OidcOptions.SupportedScopes)}."),
            _ => TypedResults.Created($"/api/clients/{Uri.EscapeDataString(registration.Client!.ClientId)}",
                new RegisteredClientWithSecret(registration.Client, registration.Secret)),
        };
    }

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> RemoveAsync(
        string clientId, ClientRegistry registry, CancellationToken cancellationToken) =>
        await registry.RemoveAsync(clientId, cancellationToken) switch
        {
            ClientRemoval.Removed => TypedResults.NoContent(),
            ClientRemoval.Configured => TypedResults.Problem(
                $"'{clientId}' is registered by configuration (Oidc:Clients); remove it there.", statusCode: 409,
                title: "Client from configuration", type: ProblemTypes.Base + "client-from-configuration"),
            _ => TypedResults.NotFound(),
        };
}
