using System.Security.Claims;
using System.Text.Json.Serialization;
using AuthPlatform.Account.Devices;
using AuthPlatform.Account.Infrastructure;
using AuthPlatform.Account.Model;
using AuthPlatform.Account.Passwords;
using AuthPlatform.Account.Registration;
using AuthPlatform.Account.SignIn;
using AuthPlatform.Account.Throttling;
using AuthPlatform.Account.Tokens;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Account.Apis;

public static class SessionApi
{
    public static IEndpointRouteBuilder MapSessionApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/sessions").WithTags("Sessions");
        api.MapPost("/", SignInAsync).WithSummary("Sign in with email and password");
        api.MapPost("/mfa", CompleteMfaAsync).WithSummary("Second step of sign-in: a TOTP code or a recovery code with the mfaToken");
        api.MapPost("/mfa/sms", ResendSmsAsync).WithSummary("Text the sign-in code again (30 s apart; 429 with Retry-After before that)");
        api.MapPost("/refresh", RefreshAsync).WithSummary("Swap a refresh token for new tokens (rotation)");
        api.MapDelete("/current", SignOutAsync).WithSummary("Sign out: revoke the refresh token's session");
        api.MapPost("/reauthenticate", ReauthenticateAsync).RequireAuthorization().RequireSessionToken()
            .WithSummary("Prove the password (and second factor) again: a new access token with a fresh auth_time")
            .WithDescription("Sensitive changes (second factors, access keys, password) answer 403 reauthentication-required when the session's last proof is older than 10 minutes; this renews it for the calling session.");
        api.MapGet("/", ListAsync).RequireAuthorization().RequireSessionToken().WithSummary("The account's live sessions (the caller's marked current)");
        api.MapDelete("/", EndOtherSessionsAsync).RequireAuthorization().RequireSessionToken()
            .WithSummary("Sign out everywhere else: every session but the caller's ends, and every remembered device is forgotten");
        api.MapDelete("/{id:guid}", EndSessionAsync).RequireAuthorization().RequireSessionToken().WithSummary("End one of the account's sessions");
        return app;
    }

    public static async Task<Results<Ok<SignInResponse>, ProblemHttpResult>> SignInAsync(
        SignInRequest request, HttpContext context, SignInFlow flow, CancellationToken cancellationToken)
    {
        var email = EmailAddress.Normalize(request.Email);
        if (email is null || request.Password.Length > PasswordPolicy.MaxLength * 4)
        {
            return Problems.Invalid("Give a valid email address and a password.");
        }
        var device = new SignInDevice(request.DeviceToken, context.Request.Headers.UserAgent.ToString(), request.RequireSecondFactor);
        var outcome = await flow.SignInAsync(email, request.Password, device, context.Connection.RemoteIpAddress, cancellationToken);
        return outcome.Result switch
        {
            SignInOutcomeKind.SignedIn or SignInOutcomeKind.SignedInOnRememberedDevice =>
                TypedResults.Ok(outcome.Tokens!.ToResponse(outcome.DeviceToken, outcome.RememberedUntil)),
            SignInOutcomeKind.SecondFactorRequired => TypedResults.Ok(new SignInResponse(null, null, null, null, MfaRequired: true,
                MfaToken: outcome.MfaToken, Methods: outcome.Methods, DeviceToken: outcome.DeviceToken?.Value,
                RememberDeviceFor: (int?)outcome.RememberFor?.TotalSeconds, DeviceTokenExpiresAt: outcome.DeviceToken?.ExpiresAt)),
            SignInOutcomeKind.Throttled => Problems.TooManyAttempts(context, outcome.RetryAfter),
            SignInOutcomeKind.Busy => Problems.Busy(context, outcome.RetryAfter),
            SignInOutcomeKind.EmailNotVerified => Problems.EmailNotVerified(),
            _ => Problems.InvalidCredentials(),
        };
    }

    public static async Task<Results<Ok<SignInResponse>, ProblemHttpResult>> CompleteMfaAsync(
        MfaSignInRequest request, HttpContext context, MfaSignInFlow flow, CancellationToken cancellationToken)
    {
        if (!FactorMethod.IsKnown(request.Method))
        {
            return Problems.Invalid("method must be \"totp\", \"sms\" or \"recovery_code\".");
        }
        if (string.IsNullOrWhiteSpace(request.Code) || request.Code.Length > 64)
        {
            return Problems.Invalid("code is required.");
        }
        var device = new MfaSignInDevice(request.RememberDevice, context.Request.Headers.UserAgent.ToString(), context.Connection.RemoteIpAddress);
        var outcome = await flow.CompleteAsync(request.MfaToken, request.Method, request.Code, device, cancellationToken);
        return outcome.Result switch
        {
            MfaSignInOutcomeKind.SignedIn => TypedResults.Ok(outcome.Tokens!.ToResponse(outcome.DeviceToken, outcome.RememberedUntil)),
            MfaSignInOutcomeKind.Invalid => Problems.Invalid(outcome.Detail!),
            MfaSignInOutcomeKind.Refused => Problems.Relayed(context, outcome.Refusal!),
            _ => Problems.InvalidMfaToken(),
        };
    }

    public static async Task<Results<Accepted, ProblemHttpResult>> ResendSmsAsync(
        MfaTokenRequest request, HttpContext context, MfaSignInFlow flow, CancellationToken cancellationToken)
    {
        var outcome = await flow.ResendSmsAsync(request.MfaToken, context.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        return outcome.Result switch
        {
            MfaSignInOutcomeKind.SmsSent => TypedResults.Accepted((string?)null),
            MfaSignInOutcomeKind.Invalid => Problems.Invalid(outcome.Detail!),
            MfaSignInOutcomeKind.Refused => Problems.Relayed(context, outcome.Refusal!),
            _ => Problems.InvalidMfaToken(),
        };
    }

    public static async Task<Results<Ok<SignInResponse>, ProblemHttpResult>> RefreshAsync(
        RefreshRequest request, SessionTokens sessions, CancellationToken cancellationToken)
    {
        if (!OpaqueToken.IsWellFormed(request.RefreshToken))
        {
            return Problems.InvalidRefreshToken();
        }
        var tokens = await sessions.RotateAsync(request.RefreshToken, cancellationToken);
        return tokens is null ? Problems.InvalidRefreshToken() : TypedResults.Ok(tokens.ToResponse());
    }

    public static async Task<NoContent> SignOutAsync([FromBody] RefreshRequest request, SessionTokens sessions, CancellationToken cancellationToken)
    {
        if (OpaqueToken.IsWellFormed(request.RefreshToken))
        {
            await sessions.RevokeAsync(request.RefreshToken, cancellationToken);
        }
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<SignInResponse>, ProblemHttpResult>> ReauthenticateAsync(
        ReauthenticateRequest request, ClaimsPrincipal user, HttpContext context, Reauthentication reauthentication,
        CancellationToken cancellationToken)
    {
        var outcome = await reauthentication.ProveAsync(user.AccountId()!.Value, user.SessionId()!.Value, request.Password, request.Method,
            request.Code, context.Connection.RemoteIpAddress, cancellationToken);
        return outcome switch
        {
            { Tokens: { } tokens } => TypedResults.Ok(new SignInResponse(tokens.AccessToken, null, tokens.ExpiresIn, "Bearer")),
            { Kind: ReauthenticationOutcome.Invalid } => Problems.Invalid(outcome.Detail!),
            { Kind: ReauthenticationOutcome.Throttled } => Problems.TooManyAttempts(context, outcome.RetryAfter!.Value),
            { Kind: ReauthenticationOutcome.Busy } => Problems.Busy(context, outcome.RetryAfter!.Value),
            { Kind: ReauthenticationOutcome.WrongPassword } => Problems.InvalidCredentials(),
            { Kind: ReauthenticationOutcome.SecondFactorRequired } => Problems.SecondFactorRequired(outcome.Detail!, outcome.Methods!),
            { Kind: ReauthenticationOutcome.SecondFactorRefused } => Problems.Relayed(context, outcome.Refusal!),
            _ => Problems.SessionEnded(),
        };
    }

    public static async Task<Ok<IReadOnlyList<SessionSummary>>> ListAsync(ClaimsPrincipal user, SessionTokens sessions, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sessions.ListAsync(user.AccountId()!.Value, user.SessionId(), cancellationToken));

    public static async Task<NoContent> EndOtherSessionsAsync(ClaimsPrincipal user, SessionTokens sessions, RememberedDevices remembered,
        CancellationToken cancellationToken)
    {
        await sessions.RevokeOthersAsync(user.AccountId()!.Value, user.SessionId(), cancellationToken);
        // "Sign out everywhere": a remembered device would otherwise come back with the password alone.
        await remembered.ForgetAllAsync(user.AccountId()!.Value, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, NotFound>> EndSessionAsync(Guid id, ClaimsPrincipal user, SessionTokens sessions, CancellationToken cancellationToken) =>
        await sessions.RevokeAsync(user.AccountId()!.Value, id, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();
}
