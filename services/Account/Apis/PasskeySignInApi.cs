using System.Text.Json;
using AuthPlatform.Account.SignIn;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AuthPlatform.Account.Apis;

/// <summary>
/// Signing in with a passkey (mfa checks it, account starts the session). The rest of /api/passkeys (adding, listing,
/// renaming, removing) is mfa's.
/// </summary>
public static class PasskeySignInApi
{
    public static IEndpointRouteBuilder MapPasskeySignInApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/passkeys/assertion").WithTags("Passkeys");
        api.MapPost("/options", OptionsAsync)
            .WithSummary("Start a passkey sign-in: options for navigator.credentials.get (a challenge that works once, for 5 minutes)")
            .WithDescription("Without mfaToken any passkey of this site may answer (discoverable credentials, conditional UI); with the password step's mfaToken only that account's passkeys (the second factor).");
        api.MapPost("/complete", CompleteAsync)
            .WithSummary("Finish a passkey sign-in with the browser's assertion: tokens (amr hwk or swk, user, mfa)")
            .WithDescription("User verification is required, so a passkey alone is a multi-factor sign-in. A refused passkey is 401 passkey-refused; a counter that went backwards (a possibly cloned passkey) is refused and emails the owner.");
        return app;
    }

    public static async Task<Results<Ok<PasskeyOptionsResponse>, ProblemHttpResult>> OptionsAsync(
        PasskeyAssertionOptionsRequest? request, HttpContext context, PasskeySignInFlow flow, CancellationToken cancellationToken)
    {
        var outcome = await flow.OptionsAsync(request?.MfaToken, cancellationToken);
        return outcome.Result switch
        {
            PasskeySignInOutcomeKind.Options => TypedResults.Ok(new PasskeyOptionsResponse(outcome.Options!.Value)),
            PasskeySignInOutcomeKind.Invalid => Problems.Invalid("This account has no passkey; use its other second factor."),
            PasskeySignInOutcomeKind.Refused => Problems.Relayed(context, outcome.Refusal!),
            _ => Problems.InvalidMfaToken(),
        };
    }

    public static async Task<Results<Ok<SignInResponse>, ProblemHttpResult>> CompleteAsync(
        PasskeyAssertionRequest request, HttpContext context, PasskeySignInFlow flow, CancellationToken cancellationToken)
    {
        if (request.Credential.ValueKind != JsonValueKind.Object)
        {
            return Problems.Invalid("credential must be the browser's PublicKeyCredential as JSON.");
        }
        var outcome = await flow.CompleteAsync(request.Credential, request.MfaToken, cancellationToken);
        return outcome.Result switch
        {
            PasskeySignInOutcomeKind.SignedIn => TypedResults.Ok(outcome.Tokens!.ToResponse()),
            PasskeySignInOutcomeKind.Throttled => Problems.TooManyAttempts(context, outcome.RetryAfter),
            PasskeySignInOutcomeKind.Refused => Problems.Relayed(context, outcome.Refusal! with { Status = System.Net.HttpStatusCode.Unauthorized }),
            _ => Problems.InvalidMfaToken(),
        };
    }
}
