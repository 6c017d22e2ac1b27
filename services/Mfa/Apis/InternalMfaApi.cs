using AuthPlatform.Mfa.Factors;
using AuthPlatform.Mfa.Infrastructure;
using AuthPlatform.Mfa.Model;
using AuthPlatform.Mfa.Passkeys;
using AuthPlatform.Mfa.RecoveryCodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Mfa.Apis;

/// <summary>
/// What account asks during sign-in: on the internal listener only, for account's service token only. The account
/// is the token's <c>sub</c>; the end user's address (for SMS limits) its <c>client_addr</c>.
/// </summary>
public static class InternalMfaApi
{
    public const string Caller = "account";

    public static IEndpointRouteBuilder MapInternalMfaApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapInternalGroup(MfaCalls.Group, Caller);

        api.MapGet("/", async Task<Results<Ok<MfaStatus>, ProblemHttpResult>> (
            HttpContext context, MfaDbContext db, CancellationToken cancellationToken) =>
            context.InternalCaller().AccountId is { } accountId
                ? TypedResults.Ok(await MfaApi.StatusAsync(accountId, db, cancellationToken))
                : NoAccount());

        api.MapPost(MfaCalls.Verify[MfaCalls.Group.Length..], async Task<Results<Ok<FactorCheck>, ProblemHttpResult>> (
            VerifyFactorRequest request, HttpContext context, SecondFactorCheck check, CancellationToken cancellationToken) =>
        {
            if (context.InternalCaller().AccountId is not { } accountId)
            {
                return NoAccount();
            }
            if (!FactorMethod.IsKnown(request.Method))
            {
                return MfaProblems.Malformed("method must be \"totp\", \"sms\" or \"recovery_code\".");
            }
            var result = await check.VerifyAsync(accountId, request.Email, request.Method, request.Code, cancellationToken);
            return MfaProblems.For(result, context, wrongStatus: 401) is { } problem ? problem : TypedResults.Ok(result);
        });
        // Sign-in with SMS: text the sign-in code to the enrolled number (first send and resends, 30 s apart).
        api.MapPost(MfaCalls.SmsChallenge[MfaCalls.Group.Length..], async Task<Results<Accepted<SmsCodeSent>, ProblemHttpResult>> (
            HttpContext context, MfaDbContext db, VerificationSmsCodesClient verification, CancellationToken cancellationToken) =>
        {
            var caller = context.InternalCaller();
            if (caller.AccountId is not { } accountId)
            {
                return NoAccount();
            }
            var factor = await db.FindFactorAsync(accountId, cancellationToken);
            if (factor is not { Method: FactorMethod.Sms, PhoneNumber: { } phone })
            {
                return MfaProblems.NotEnabled();
            }
            var sent = await verification.SendSmsCodeAsync(SmsCodePurpose.SignIn, accountId, phone, caller.ClientAddress, cancellationToken);
            return sent.Code is { } code ? TypedResults.Accepted((string?)null, code) : MfaProblems.Relayed(context, sent);
        });
        // Passkey sign-in: with an account in the token, that account's second factor; without, a first factor (any
        // discoverable passkey). account starts the session from the answer.
        api.MapPost(PasskeyCalls.AssertionOptions[MfaCalls.Group.Length..], async Task<Results<Ok<PasskeyAssertionOptions>, ProblemHttpResult>> (
            HttpContext context, PasskeyAssertion assertion, CancellationToken cancellationToken) =>
        {
            var outcome = await assertion.StartAsync(context.InternalCaller().AccountId, cancellationToken);
            return outcome.Options is { } options ? TypedResults.Ok(new PasskeyAssertionOptions(options)) : MfaProblems.For(outcome);
        });
        api.MapPost(PasskeyCalls.VerifyAssertion[MfaCalls.Group.Length..], async Task<Results<Ok<PasskeyVerification>, ProblemHttpResult>> (
            VerifyPasskeyRequest request, HttpContext context, PasskeyAssertion assertion, CancellationToken cancellationToken) =>
        {
            var outcome = await assertion.VerifyAsync(context.InternalCaller().AccountId, request.Credential, cancellationToken);
            return outcome.Result switch
            {
                PasskeyResult.Done => TypedResults.Ok(new PasskeyVerification(true, outcome.Passkey!.AccountId, outcome.Passkey.Name, outcome.Passkey.BackupEligible)),
                PasskeyResult.SignCountRegressed => TypedResults.Ok(new PasskeyVerification(false, outcome.Passkey!.AccountId, outcome.Passkey.Name,
                    outcome.Passkey.BackupEligible, SignCountRegressed: true)),
                _ => MfaProblems.For(outcome),
            };
        });
        return app;
    }

    private static ProblemHttpResult NoAccount() =>
        TypedResults.Problem("The service token names no account.", statusCode: 400, title: "Invalid request");
}
