using AuthPlatform.Mfa.Factors;
using AuthPlatform.Mfa.Infrastructure;
using AuthPlatform.Mfa.Model;
using AuthPlatform.Mfa.RecoveryCodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Mfa.Apis;

public sealed record VerifyFactorRequest(string Method, string Code, string Email);

/// <summary>What account asks during sign-in. Service-to-service only: the gateway never routes /internal.</summary>
public static class InternalMfaApi
{
    public static IEndpointRouteBuilder MapInternalMfaApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/internal/accounts/{accountId:guid}/mfa").ExcludeFromDescription();

        api.MapGet("/", (Guid accountId, MfaDbContext db, RecoveryCodeBook recoveryCodes, CancellationToken cancellationToken) =>
            MfaApi.StatusAsync(accountId, db, recoveryCodes, cancellationToken));

        api.MapPost("/verify", async Task<Results<Ok<FactorCheck>, ProblemHttpResult>> (
            Guid accountId, VerifyFactorRequest request, HttpContext context, SecondFactorCheck check, CancellationToken cancellationToken) =>
        {
            if (request.Method is not (FactorMethod.Totp or FactorMethod.Sms or FactorMethod.RecoveryCode))
            {
                return MfaProblems.Malformed("method must be \"totp\", \"sms\" or \"recovery_code\".");
            }
            var result = await check.VerifyAsync(accountId, request.Email, request.Method, request.Code, cancellationToken);
            return MfaProblems.For(result, context, wrongStatus: 401) is { } problem ? problem : TypedResults.Ok(result);
        });
        // Sign-in with SMS: text the sign-in code to the enrolled number (first send and resends, 30 s apart).
        api.MapPost("/sms-challenge", async Task<Results<Accepted, ProblemHttpResult>> (
            Guid accountId, SmsChallengeRequest request, HttpContext context, MfaDbContext db, VerificationClient verification,
            CancellationToken cancellationToken) =>
        {
            var factor = await db.SecondFactors.AsNoTracking().SingleOrDefaultAsync(f => f.AccountId == accountId, cancellationToken);
            if (factor is not { Method: FactorMethod.Sms, PhoneNumber: { } phone })
            {
                return MfaProblems.NotEnabled();
            }
            var sent = await verification.SendSmsCodeAsync(VerificationClient.SignIn, accountId, phone, request.ClientAddress, cancellationToken);
            return sent.Sent ? TypedResults.Accepted((string?)null) : MfaProblems.Relayed(context, sent);
        });
        return app;
    }
}

public sealed record SmsChallengeRequest(string? ClientAddress);
