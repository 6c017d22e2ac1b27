using System.Security.Claims;
using AuthPlatform.Mfa.Factors;
using AuthPlatform.Mfa.Infrastructure;
using AuthPlatform.Mfa.RecoveryCodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Mfa.Apis;

public static class MfaApi
{
    public static IEndpointRouteBuilder MapMfaApi(this IEndpointRouteBuilder app)
    {
        // Every change needs a session token whose sign-in is recent (403 access-key-token / reauthentication-required):
        // a stolen key or an old session must not enrol a factor that locks the owner out.
        var api = app.MapGroup("/api/mfa").WithTags("Two-factor authentication").RequireAuthorization();
        api.MapGet("/", GetStatusAsync).WithSummary("Whether 2FA is on, with which method, and how many recovery codes remain");
        api.MapPost("/totp", StartTotpAsync).RequireRecentSignIn()
            .WithSummary("Start authenticator-app setup: secret, otpauth URI and QR code (nothing changes until confirm)")
            .WithDescription("When 2FA is already on, currentCode (a current code or a recovery code) is required; the old factor keeps working until the new one is confirmed.");
        api.MapPost("/totp/confirm", ConfirmTotpAsync).RequireRecentSignIn().WithSummary("Confirm setup with a current 6-digit code: 2FA is on; the recovery codes are shown only here");
        api.MapPost("/recovery-codes", RegenerateRecoveryCodesAsync).RequireRecentSignIn().WithSummary("New recovery codes (the old ones stop working)");
        api.MapDelete("/", DisableAsync).RequireRecentSignIn().WithSummary("Turn 2FA off with a current code or a recovery code");
        api.MapPost("/sms", StartSmsAsync).RequireRecentSignIn()
            .WithSummary("Start text-message setup: a 6-digit code goes to the number; expiresIn says for how many seconds it works")
            .WithDescription(SmsAdvice);
        api.MapPost("/sms/confirm", ConfirmSmsAsync).RequireRecentSignIn().WithSummary("Confirm the texted code: 2FA is on with SMS; the recovery codes are shown only here");
        return app;
    }

    /// <summary>Said wherever SMS is offered (NIST SP 800-63B: SMS is a restricted authenticator).</summary>
    public const string SmsAdvice =
        "An authenticator app (TOTP) is the stronger method: text messages can be intercepted or redirected by SIM swapping, and NIST SP 800-63B treats SMS as a restricted authenticator.";

    public static async Task<Results<Accepted<SmsStartedResponse>, ProblemHttpResult, UnauthorizedHttpResult>> StartSmsAsync(
        StartSmsRequest request, ClaimsPrincipal user, HttpContext context, MfaDbContext db, PhoneNumberPolicy phones,
        SecondFactorCheck check, SmsEnrollment enrollment, CancellationToken cancellationToken)
    {
        if (Caller(user) is not (var accountId, var email))
        {
            return TypedResults.Unauthorized();
        }
        var (e164, refusal) = phones.Check(request.PhoneNumber);
        if (e164 is null)
        {
            return TypedResults.Problem(refusal, statusCode: 400, title: "Phone number not accepted", type: ProblemTypes.Base + "invalid-phone-number");
        }
        if (await db.SecondFactors.AsNoTracking().AnyAsync(f => f.AccountId == accountId, cancellationToken))
        {
            if (string.IsNullOrWhiteSpace(request.CurrentCode))
            {
                return MfaProblems.CurrentCodeRequired();
            }
            if (MfaProblems.For(await check.VerifyCurrentAsync(accountId, email, request.CurrentCode, cancellationToken), context) is { } problem)
            {
                return problem;
            }
        }
        var sent = await enrollment.StartAsync(accountId, e164, context.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        if (sent.Code is not { } code)
        {
            return MfaProblems.Relayed(context, sent);
        }
        // verification owns the code's lifetime; this answer relays it.
        return TypedResults.Accepted((string?)null, new SmsStartedResponse(PhoneNumberPolicy.Masked(e164), code.ExpiresIn, SmsAdvice,
            (int)TotpEnrollment.PendingLifetime.TotalSeconds));
    }

    public static async Task<Results<Ok<RecoveryCodesResponse>, ProblemHttpResult, UnauthorizedHttpResult>> ConfirmSmsAsync(
        CodeRequest request, ClaimsPrincipal user, HttpContext context, SmsEnrollment enrollment, CancellationToken cancellationToken)
    {
        if (Caller(user) is not (var accountId, var email))
        {
            return TypedResults.Unauthorized();
        }
        if (await enrollment.ConfirmAsync(accountId, email, user.SessionId(), request.Code, cancellationToken) is not (var check, var codes))
        {
            return MfaProblems.NoPendingSetup();
        }
        return MfaProblems.For(check, context) is { } problem ? problem : TypedResults.Ok(new RecoveryCodesResponse(codes!, SmsAdvice));
    }



    private static (Guid AccountId, string Email)? Caller(ClaimsPrincipal user) =>
        user.AccountId() is { } id && user.FindFirstValue("email") is { Length: > 0 } email ? (id, email) : null;

    public static async Task<Results<Ok<MfaStatus>, UnauthorizedHttpResult>> GetStatusAsync(
        ClaimsPrincipal user, MfaDbContext db, CancellationToken cancellationToken)
    {
        if (Caller(user) is not (var accountId, _))
        {
            return TypedResults.Unauthorized();
        }
        return TypedResults.Ok(await StatusAsync(accountId, db, cancellationToken));
    }

    /// <summary>
    /// The factor, the unused recovery codes and the passkeys in one round trip: every sign-in and every account page
    /// asks for it.
    /// </summary>
    internal static async Task<MfaStatus> StatusAsync(Guid accountId, MfaDbContext db, CancellationToken cancellationToken)
    {
        var rows = await db.Database.SqlQuery<StatusRow>($"""
            SELECT (SELECT "Method" FROM second_factors WHERE "AccountId" = {accountId}) AS "Method",
                   (SELECT count(*)::int FROM recovery_codes WHERE "AccountId" = {accountId} AND "UsedAt" IS NULL) AS "RecoveryCodesRemaining",
                   (SELECT count(*)::int FROM passkeys WHERE "AccountId" = {accountId}) AS "Passkeys"
            """).ToListAsync(cancellationToken);
        var row = rows.Single();
        return row.Method is null
            ? new MfaStatus(false, null, 0, row.Passkeys)
            : new MfaStatus(true, row.Method, row.RecoveryCodesRemaining, row.Passkeys);
    }

    private sealed record StatusRow(string? Method, int RecoveryCodesRemaining, int Passkeys);

    public static async Task<Results<Ok<TotpSetup>, ProblemHttpResult, UnauthorizedHttpResult>> StartTotpAsync(
        StartTotpRequest? request, ClaimsPrincipal user, HttpContext context, MfaDbContext db, SecondFactorCheck check,
        TotpEnrollment enrollment, CancellationToken cancellationToken)
    {
        if (Caller(user) is not (var accountId, var email))
        {
            return TypedResults.Unauthorized();
        }
        if (await db.SecondFactors.AsNoTracking().AnyAsync(f => f.AccountId == accountId, cancellationToken))
        {
            if (string.IsNullOrWhiteSpace(request?.CurrentCode))
            {
                return MfaProblems.CurrentCodeRequired();
            }
            if (MfaProblems.For(await check.VerifyCurrentAsync(accountId, email, request.CurrentCode, cancellationToken), context) is { } problem)
            {
                return problem;
            }
        }
        return TypedResults.Ok(await enrollment.StartAsync(accountId, email, cancellationToken));
    }

    public static async Task<Results<Ok<RecoveryCodesResponse>, ProblemHttpResult, UnauthorizedHttpResult>> ConfirmTotpAsync(
        CodeRequest request, ClaimsPrincipal user, HttpContext context, TotpEnrollment enrollment, CancellationToken cancellationToken)
    {
        if (Caller(user) is not (var accountId, var email))
        {
            return TypedResults.Unauthorized();
        }
        if (await enrollment.ConfirmAsync(accountId, email, user.SessionId(), request.Code, cancellationToken) is not (var check, var codes))
        {
            return MfaProblems.NoPendingSetup();
        }
        return MfaProblems.For(check, context) is { } problem ? problem : TypedResults.Ok(new RecoveryCodesResponse(codes!));
    }

    public static async Task<Results<Ok<RecoveryCodesResponse>, ProblemHttpResult, UnauthorizedHttpResult>> RegenerateRecoveryCodesAsync(
        CodeRequest request, ClaimsPrincipal user, HttpContext context, SecondFactorCheck check, SecondFactorSettings settings,
        CancellationToken cancellationToken)
    {
        if (Caller(user) is not (var accountId, var email))
        {
            return TypedResults.Unauthorized();
        }
        if (MfaProblems.For(await check.VerifyCurrentAsync(accountId, email, request.Code, cancellationToken), context) is { } problem)
        {
            return problem;
        }
        return await settings.RegenerateRecoveryCodesAsync(accountId, email, cancellationToken) is { } codes
            ? TypedResults.Ok(new RecoveryCodesResponse(codes))
            : MfaProblems.NotEnabled();
    }

    public static async Task<Results<NoContent, ProblemHttpResult, UnauthorizedHttpResult>> DisableAsync(
        [FromBody] CodeRequest request, ClaimsPrincipal user, HttpContext context, SecondFactorCheck check, SecondFactorSettings settings,
        CancellationToken cancellationToken)
    {
        if (Caller(user) is not (var accountId, var email))
        {
            return TypedResults.Unauthorized();
        }
        if (MfaProblems.For(await check.VerifyCurrentAsync(accountId, email, request.Code, cancellationToken), context) is { } problem)
        {
            return problem;
        }
        await settings.DisableAsync(accountId, email, cancellationToken);
        return TypedResults.NoContent();
    }
}
