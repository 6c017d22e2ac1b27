using System.Security.Claims;
using AuthPlatform.Account.ExternalSignIn;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AuthPlatform.Account.Apis;

/// <summary>
/// External identities (Google): the portal hands account a person it signed in at the provider (internal, the
/// portal's service token only); the owner lists, links (after proving the password) and unlinks them.
/// </summary>
public static class ExternalIdentityApi
{
    public const string Caller = "portal";

    public static IEndpointRouteBuilder MapExternalIdentityApi(this IEndpointRouteBuilder app)
    {
        app.MapInternalGroup(ExternalSignInCalls.Group, Caller).MapPost("/", SignInAsync);

        var api = app.MapGroup("/api/accounts/me/external-identities").WithTags("Accounts")
            .RequireAuthorization().RequireSessionToken();
        api.MapGet("/", ListAsync).WithSummary("How the account signs in: whether it has a password, and its linked identities (Google)");
        api.MapPost("/", LinkAsync).WithSummary("Link the identity a Google sign-in found for this account (the session must have proven the password since)")
            .WithDescription("linkToken comes from a Google sign-in whose verified address belongs to this account; the caller's session must have signed in with the password after it was issued.");
        api.MapDelete("/{id:guid}", UnlinkAsync).WithSummary("Unlink an identity (409 when it is the last way to sign in)");
        return app;
    }

    public static async Task<Results<Ok<ExternalSignInAnswer>, ProblemHttpResult>> SignInAsync(
        ExternalSignInRequest request, HttpContext context, ExternalSignInFlow flow, CancellationToken cancellationToken)
    {
        var email = EmailAddress.Normalize(request.Email);
        if (!ExternalSignInCalls.IsKnownProvider(request.Provider) || string.IsNullOrWhiteSpace(request.Subject) || request.Subject.Length > 255
            || email is null)
        {
            return Problems.Invalid("Give a known provider, the provider's subject and a valid email address.");
        }
        var outcome = await flow.SignInAsync(request.Provider, request.Subject, email, request.EmailVerified,
            context.InternalCaller().ClientAddress, cancellationToken);
        return outcome.Result switch
        {
            ExternalSignInOutcomeKind.SignedIn => TypedResults.Ok(new ExternalSignInAnswer(ExternalSignInResults.SignedIn,
                outcome.Tokens!.AccessToken, outcome.Tokens.RefreshToken, outcome.Tokens.ExpiresIn, NewAccount: outcome.NewAccount)),
            ExternalSignInOutcomeKind.SecondFactorRequired => TypedResults.Ok(new ExternalSignInAnswer(ExternalSignInResults.MfaRequired,
                MfaToken: outcome.MfaToken, Methods: outcome.Methods)),
            ExternalSignInOutcomeKind.LinkRequired => TypedResults.Ok(new ExternalSignInAnswer(ExternalSignInResults.LinkRequired,
                LinkToken: outcome.LinkToken, Email: outcome.AccountEmail)),
            ExternalSignInOutcomeKind.EmailNotVerified => Problems.ProviderEmailNotVerified(),
            _ => Problems.SessionEnded(),
        };
    }

    public static async Task<Results<Ok<SignInMethodsView>, NotFound>> ListAsync(ClaimsPrincipal user, ExternalIdentityLinks identities,
        CancellationToken cancellationToken) =>
        await identities.ListAsync(user.AccountId()!.Value, cancellationToken) is { } methods
            ? TypedResults.Ok(new SignInMethodsView(methods.HasPassword, [.. methods.Identities.Select(View)]))
            : TypedResults.NotFound();

    public static async Task<Results<Ok<ExternalIdentityView>, ProblemHttpResult>> LinkAsync(LinkIdentityRequest request, ClaimsPrincipal user,
        ExternalIdentityLinks identities, CancellationToken cancellationToken)
    {
        var methods = user.FindAll("amr").Select(c => c.Value).ToArray();
        var (outcome, identity) = await identities.LinkAsync(user.AccountId()!.Value, methods, user.AuthenticatedAt(), request.LinkToken ?? "",
            cancellationToken);
        return outcome switch
        {
            LinkOutcome.Linked => TypedResults.Ok(View(identity!)),
            LinkOutcome.ProofRequired => Problems.LinkProofRequired(),
            LinkOutcome.AlreadyLinked => Problems.IdentityAlreadyLinked(),
            _ => Problems.InvalidLinkToken(),
        };
    }

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> UnlinkAsync(Guid id, ClaimsPrincipal user, ExternalIdentityLinks identities,
        CancellationToken cancellationToken) =>
        await identities.UnlinkAsync(user.AccountId()!.Value, id, cancellationToken) switch
        {
            UnlinkOutcome.Unlinked => TypedResults.NoContent(),
            UnlinkOutcome.LastWayToSignIn => Problems.LastWayToSignIn(),
            _ => TypedResults.NotFound(),
        };

    private static ExternalIdentityView View(Model.ExternalIdentity identity) =>
        new(identity.Id, identity.Provider, identity.Email, identity.LinkedAt);
}
