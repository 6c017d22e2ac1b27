using System.Security.Claims;
using System.Text.Json;
using AuthPlatform.Mfa.Model;
using AuthPlatform.Mfa.Passkeys;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AuthPlatform.Mfa.Apis;

/// <summary>
/// The owner's passkeys (WebAuthn): add (options, then the browser's credential), list, rename, remove. Signing in
/// with one is account's (/api/passkeys/assertion, which asks mfa over /internal).
/// </summary>
public static class PasskeyApi
{
    public static IEndpointRouteBuilder MapPasskeyApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/passkeys").WithTags("Passkeys").RequireAuthorization().RequireSessionToken();
        api.MapGet("/", ListAsync).WithSummary("The account's passkeys: name, created, last used, synced or device-bound");
        api.MapPost("/registration/options", StartAsync).RequireRecentSignIn()
            .WithSummary("Start adding a passkey: options for navigator.credentials.create (a challenge that works once, for 5 minutes)")
            .WithDescription("A discoverable credential with user verification and no attestation; the account's passkeys are excluded.");
        api.MapPost("/registration/complete", CompleteAsync).RequireRecentSignIn()
            .WithSummary("Finish adding a passkey with the browser's new credential; the owner is emailed");
        api.MapPatch("/{id:guid}", RenameAsync).WithSummary("Rename a passkey");
        api.MapDelete("/{id:guid}", RemoveAsync).WithSummary("Remove a passkey; the owner is emailed");
        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<PasskeyView>>, UnauthorizedHttpResult>> ListAsync(
        ClaimsPrincipal user, PasskeyBook book, CancellationToken cancellationToken) =>
        user.AccountId() is { } accountId
            ? TypedResults.Ok<IReadOnlyList<PasskeyView>>([.. (await book.ListAsync(accountId, cancellationToken)).Select(ViewOf)])
            : TypedResults.Unauthorized();

    public static async Task<Results<Ok<PasskeyOptionsResponse>, ProblemHttpResult, UnauthorizedHttpResult>> StartAsync(
        ClaimsPrincipal user, PasskeyRegistration registration, CancellationToken cancellationToken)
    {
        if (Caller(user) is not (var accountId, var email))
        {
            return TypedResults.Unauthorized();
        }
        var outcome = await registration.StartAsync(accountId, email, cancellationToken);
        return outcome.Options is { } options ? TypedResults.Ok(new PasskeyOptionsResponse(options)) : MfaProblems.For(outcome);
    }

    public static async Task<Results<Created<PasskeyView>, ProblemHttpResult, UnauthorizedHttpResult>> CompleteAsync(
        CompletePasskeyRegistrationRequest request, ClaimsPrincipal user, PasskeyRegistration registration, CancellationToken cancellationToken)
    {
        if (Caller(user) is not (var accountId, var email))
        {
            return TypedResults.Unauthorized();
        }
        if (request.Name is { } name && PasskeyRegistration.CleanName(name) is null)
        {
            return MfaProblems.InvalidPasskeyName();
        }
        var outcome = await registration.CompleteAsync(accountId, email, request.Credential, request.Name, cancellationToken);
        return outcome is { Result: PasskeyResult.Done, Passkey: { } passkey }
            ? TypedResults.Created($"/api/passkeys/{passkey.Id}", ViewOf(passkey))
            : MfaProblems.For(outcome);
    }

    public static async Task<Results<Ok<PasskeyView>, ProblemHttpResult, NotFound, UnauthorizedHttpResult>> RenameAsync(
        Guid id, RenamePasskeyRequest request, ClaimsPrincipal user, PasskeyBook book, CancellationToken cancellationToken)
    {
        if (user.AccountId() is not { } accountId)
        {
            return TypedResults.Unauthorized();
        }
        if (PasskeyRegistration.CleanName(request.Name) is not { } name)
        {
            return MfaProblems.InvalidPasskeyName();
        }
        return await book.RenameAsync(accountId, id, name, cancellationToken) is { } passkey ? TypedResults.Ok(ViewOf(passkey)) : TypedResults.NotFound();
    }

    public static async Task<Results<NoContent, NotFound, UnauthorizedHttpResult>> RemoveAsync(
        Guid id, ClaimsPrincipal user, PasskeyBook book, CancellationToken cancellationToken)
    {
        if (Caller(user) is not (var accountId, var email))
        {
            return TypedResults.Unauthorized();
        }
        return await book.RemoveAsync(accountId, email, id, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();
    }

    private static (Guid AccountId, string Email)? Caller(ClaimsPrincipal user) =>
        user.AccountId() is { } id && user.FindFirstValue("email") is { Length: > 0 } email ? (id, email) : null;

    private static PasskeyView ViewOf(Passkey passkey) => new(passkey.Id, passkey.Name, passkey.CreatedAt, passkey.LastUsedAt,
        passkey.BackupEligible, passkey.BackedUp, passkey.Transports.Split(' ', StringSplitOptions.RemoveEmptyEntries), passkey.Aaguid);
}
