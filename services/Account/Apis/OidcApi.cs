using System.Collections.Immutable;
using System.Security.Claims;
using System.Text.Json;
using AuthPlatform.Account.Infrastructure;
using AuthPlatform.Account.Oidc;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthPlatform.Account.Apis;

/// <summary>
/// The OpenID Connect endpoints OpenIddict hands to the application after validating the request (docs/oidc.md):
/// authorize (who, and with which consent), userinfo and end-session; and the portal's hand-off call.
/// </summary>
public static class OidcApi
{
    private const string Scheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

    public static IEndpointRouteBuilder MapOidcApi(this IEndpointRouteBuilder app)
    {
        app.MapMethods(AuthorizationHandoffCalls.AuthorizePath, [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync)
            .WithTags("OpenID Connect").WithSummary("Authorization endpoint (code flow with PKCE)").DisableAntiforgery();
        app.MapMethods("/" + OidcProvider.UserInfoPath, [HttpMethods.Get, HttpMethods.Post], UserInfoAsync)
            .WithTags("OpenID Connect").WithSummary("UserInfo endpoint").DisableAntiforgery();
        app.MapMethods("/" + OidcProvider.EndSessionPath, [HttpMethods.Get, HttpMethods.Post], (Delegate)EndSessionAsync)
            .WithTags("OpenID Connect").WithSummary("RP-initiated logout").DisableAntiforgery();
        app.MapPost(AuthorizationHandoffCalls.Authorizations, HandOffAsync)
            .RequireAuthorization().RequireSessionToken()
            .WithTags("OpenID Connect").WithSummary("The portal's hand-off: consent for a client, and a ticket for /connect/authorize");
        return app;
    }

    /// <summary>
    /// A valid request with the portal's ticket for this client signs the person in; anything else goes to the
    /// portal's consent page with the same query, which signs in, asks for consent and comes back with a ticket.
    /// </summary>
    private static async Task<IResult> AuthorizeAsync(HttpContext context, AuthorizationTickets tickets, AccountDbContext db,
        IOpenIddictAuthorizationManager authorizations, CancellationToken cancellationToken)
    {
        var request = context.GetOpenIddictServerRequest();
        if (request?.ClientId is not { } clientId)
        {
            return Problems.Invalid("Not an OpenID Connect authorization request.");
        }
        var ticket = tickets.Open(context.Request.Cookies[AuthorizationHandoffCalls.TicketCookie], clientId);
        context.Response.Cookies.Delete(AuthorizationHandoffCalls.TicketCookie, new CookieOptions { Path = AuthorizationHandoffCalls.AuthorizePath });
        if (ticket is null && request.HasPromptValue(PromptValues.None))
        {
            return Refuse(Errors.LoginRequired, "prompt=none, and the person has not signed in for this client.");
        }
        // max_age and prompt=login are the portal's to apply before it asks for the ticket (it signs the person in again).
        if (ticket is null)
        {
            return Results.Redirect(AuthorizationHandoffCalls.PortalConsentPath + QueryOf(context, request));
        }
        if (ticket.Denied)
        {
            return Refuse(Errors.AccessDenied, "The person did not allow this app to use their account.");
        }
        // A ticket from a sign-in without a second factor does not satisfy acr_values=mfa: the portal steps up first.
        if (OidcProvider.AsksForSecondFactor(request.AcrValues) && !ticket.Methods.Contains(OidcProvider.SecondFactorAcr))
        {
            return Results.Redirect(AuthorizationHandoffCalls.PortalConsentPath + QueryOf(context, request));
        }
        var authorization = await authorizations.FindByIdAsync(ticket.AuthorizationId, cancellationToken);
        if (authorization is null || !await authorizations.HasStatusAsync(authorization, Statuses.Valid, cancellationToken))
        {
            return Results.Redirect(AuthorizationHandoffCalls.PortalConsentPath + QueryOf(context, request));
        }
        var account = await db.FindAccountAsync(ticket.AccountId, cancellationToken);
        if (account is null)
        {
            return Refuse(Errors.AccessDenied, "The account no longer exists.");
        }

        var identity = new ClaimsIdentity(Scheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, account.Id.ToString())
            .SetClaim(Claims.Email, account.Email)
            .SetClaim(Claims.EmailVerified, true)
            .SetClaim(Claims.PreferredUsername, account.Email)
            .SetClaim(Claims.AuthenticationTime, ticket.AuthTime)
            .SetClaim(Claims.AuthenticationContextReference, ticket.Methods.Contains(OidcProvider.SecondFactorAcr) ? OidcProvider.SecondFactorAcr : OidcProvider.PasswordAcr);
        // "amr" is a JSON array even with one method (OpenID Connect Core §2).
        identity.AddClaim(new Claim(Claims.AuthenticationMethodReference, JsonSerializer.Serialize(ticket.Methods), JsonClaimValueTypes.JsonArray));
        identity.SetScopes(request.GetScopes());
        identity.SetAuthorizationId(ticket.AuthorizationId);
        identity.SetDestinations(Destinations);
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, Scheme);
    }

    /// <summary>An error OpenIddict sends back to the client's (validated) redirect URI.</summary>
    private static IResult Refuse(string error, string description) =>
        Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }), [Scheme]);

    /// <summary>Where each claim goes: the subject everywhere, the email by the email scope, how and when the person signed in into the ID token.</summary>
    private static IEnumerable<string> Destinations(Claim claim) => claim.Type switch
    {
        Claims.Subject => [OpenIddictConstants.Destinations.AccessToken, OpenIddictConstants.Destinations.IdentityToken],
        Claims.Email or Claims.EmailVerified when claim.Subject!.HasScope(Scopes.Email) =>
            [OpenIddictConstants.Destinations.AccessToken, OpenIddictConstants.Destinations.IdentityToken],
        Claims.PreferredUsername when claim.Subject!.HasScope(Scopes.Profile) => [OpenIddictConstants.Destinations.IdentityToken],
        Claims.AuthenticationTime or Claims.AuthenticationMethodReference or Claims.AuthenticationContextReference =>
            [OpenIddictConstants.Destinations.IdentityToken],
        _ => [],
    };

    private static string QueryOf(HttpContext context, OpenIddictRequest request) =>
        HttpMethods.IsGet(context.Request.Method)
            ? context.Request.QueryString.Value ?? ""
            : QueryString.Create(request.GetParameters()
                .Select(parameter => KeyValuePair.Create(parameter.Key, (string?)parameter.Value))).Value ?? "";

    private static async Task<IResult> UserInfoAsync(HttpContext context, AccountDbContext db, CancellationToken cancellationToken)
    {
        var principal = (await context.AuthenticateAsync(Scheme)).Principal;
        if (!Guid.TryParse(principal?.GetClaim(Claims.Subject), out var accountId)
            || await db.FindAccountAsync(accountId, cancellationToken) is not { } account)
        {
            return Results.Challenge(new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.InvalidToken,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The access token's account no longer exists.",
            }), [Scheme]);
        }
        var claims = new Dictionary<string, object> { [Claims.Subject] = account.Id.ToString() };
        if (principal!.HasScope(Scopes.Email))
        {
            claims[Claims.Email] = account.Email;
            claims[Claims.EmailVerified] = true;
        }
        if (principal.HasScope(Scopes.Profile))
        {
            claims[Claims.PreferredUsername] = account.Email;
        }
        return Results.Ok(claims);
    }

    /// <summary>
    /// OpenIddict has checked post_logout_redirect_uri exactly against the client's and the id_token_hint's signature.
    /// With a hint, the portal ends its session first (once: it comes back with a cookie); then OpenIddict returns the
    /// browser to the app, or without a post_logout_redirect_uri to the portal.
    /// </summary>
    private static async Task<IResult> EndSessionAsync(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest();
        var hinted = (await context.AuthenticateAsync(Scheme)).Principal is not null;
        if (request is not null && hinted && context.Request.Cookies[AuthorizationHandoffCalls.EndSessionCookie] is null)
        {
            return Results.Redirect(AuthorizationHandoffCalls.PortalEndSessionPath + QueryOf(context, request));
        }
        context.Response.Cookies.Delete(AuthorizationHandoffCalls.EndSessionCookie, new CookieOptions { Path = AuthorizationHandoffCalls.EndSessionPath });
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [Scheme]);
    }

    private static async Task<IResult> HandOffAsync(AuthorizationHandoffRequest request, ClaimsPrincipal user,
        IOpenIddictApplicationManager applications, IOpenIddictAuthorizationManager authorizations, AuthorizationTickets tickets,
        MfaClient mfa, TimeProvider time, CancellationToken cancellationToken)
    {
        if (user.AccountId() is not { } accountId || user.AuthenticatedAt() is not { } authenticatedAt)
        {
            return Results.Unauthorized();
        }
        if (request.ClientId is not { Length: > 0 and <= 100 } || request.Scope is not { Length: <= 1000 } || request.AcrValues is { Length: > 1000 }
            || await applications.FindByClientIdAsync(request.ClientId, cancellationToken) is not { } application)
        {
            return Problems.Invalid("Unknown client.");
        }
        var scopes = request.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal)
            .Where(OidcOptions.SupportedScopes.Contains).ToImmutableArray();
        var applicationId = await applications.GetIdAsync(application, cancellationToken);
        var clientName = await applications.GetDisplayNameAsync(application, cancellationToken) ?? request.ClientId;
        var subject = accountId.ToString();
        // max_age=0 asks for a sign-in now, like prompt=login (OpenID Connect Core §3.1.2.1).
        if (request.MaxAge is { } maxAge && (maxAge <= 0 || time.GetUtcNow() - authenticatedAt > TimeSpan.FromSeconds(Math.Min(maxAge, int.MaxValue))))
        {
            return Results.Ok(new AuthorizationHandoffAnswer(false, clientName, scopes, null, 0, SignInRequired: true));
        }
        // Step-up (acr_values=mfa): a session signed in without a second factor signs in again with one; an account
        // without one sets it up first. Either way the ID token's acr and amr say what happened.
        if (!request.Deny && OidcProvider.AsksForSecondFactor(request.AcrValues)
            && !user.FindAll(Claims.AuthenticationMethodReference).Any(claim => claim.Value == OidcProvider.SecondFactorAcr))
        {
            return (await mfa.GetStateAsync(accountId, cancellationToken)).Enabled
                ? Results.Ok(new AuthorizationHandoffAnswer(false, clientName, scopes, null, 0, SignInRequired: true))
                : Results.Ok(new AuthorizationHandoffAnswer(false, clientName, scopes, null, 0, SecondFactorSetupRequired: true));
        }

        if (request.Deny)
        {
            return Results.Ok(new AuthorizationHandoffAnswer(false, clientName, scopes,
                tickets.Seal(new AuthorizationTicket(accountId, request.ClientId, "", [], authenticatedAt.ToUnixTimeSeconds(), Denied: true)),
                (int)tickets.Lifetime.TotalSeconds));
        }
        object? consent = null;
        await foreach (var existing in authorizations.FindAsync(subject, applicationId, Statuses.Valid, AuthorizationTypes.Permanent, scopes, cancellationToken))
        {
            consent = existing;
            break;
        }
        if (consent is null)
        {
            if (!request.Consent)
            {
                return Results.Ok(new AuthorizationHandoffAnswer(true, clientName, scopes, null, 0));
            }
            var descriptor = new OpenIddictAuthorizationDescriptor
            {
                ApplicationId = applicationId,
                Subject = subject,
                Status = Statuses.Valid,
                Type = AuthorizationTypes.Permanent,
                CreationDate = time.GetUtcNow(),
            };
            descriptor.Scopes.UnionWith(scopes);
            consent = await authorizations.CreateAsync(descriptor, cancellationToken);
        }
        var ticket = tickets.Seal(new AuthorizationTicket(accountId, request.ClientId,
            (await authorizations.GetIdAsync(consent, cancellationToken))!,
            [.. user.FindAll(Claims.AuthenticationMethodReference).Select(claim => claim.Value)], authenticatedAt.ToUnixTimeSeconds()));
        return Results.Ok(new AuthorizationHandoffAnswer(false, clientName, scopes, ticket, (int)tickets.Lifetime.TotalSeconds));
    }
}
