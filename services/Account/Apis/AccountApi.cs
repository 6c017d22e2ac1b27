using System.Security.Claims;
using AuthPlatform.Account.Infrastructure;
using AuthPlatform.Account.Model;
using AuthPlatform.Account.Passwords;
using AuthPlatform.Account.Registration;
using AuthPlatform.Account.Tokens;
using AuthPlatform.Outbox;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Account.Apis;

public static class AccountApi
{
    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/accounts").WithTags("Accounts");

        api.MapPost("/", SignUpAsync)
            .WithSummary("Create an account; a \"Verify email\" message follows")
            .WithDescription("Answers 202 whether or not the address already has an account. The password becomes usable only through the emailed link of this sign-up.");
        api.MapGet("/me", GetProfileAsync).RequireAuthorization().WithSummary("The signed-in account");
        api.MapPost("/me/password", ChangePasswordAsync).RequireAuthorization().RequireSessionToken()
            .WithSummary("Change the password with the current one; every other session ends and every remembered device is forgotten");
        api.MapPost("/password-reset", RequestPasswordResetAsync).WithSummary("Email a password-reset link (always 202)");
        api.MapPost("/password-reset/confirm", ConfirmPasswordResetAsync).WithSummary("Set a new password with a reset link's token; every session ends and every remembered device is forgotten");
        return app;
    }

    public static async Task<Results<Accepted, ProblemHttpResult>> SignUpAsync(
        SignUpRequest request, SignUpFlow signUp, CancellationToken cancellationToken)
    {
        var result = await signUp.SignUpAsync(request.Email, request.Password, cancellationToken);
        return result.Outcome switch
        {
            SignUpOutcome.InvalidEmail => Problems.Invalid("The email address is not valid."),
            SignUpOutcome.WeakPassword => Problems.WeakPassword(result.Weakness!),
            _ => TypedResults.Accepted((string?)null),
        };
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> ChangePasswordAsync(
        ChangePasswordRequest request, ClaimsPrincipal user, HttpContext context, PasswordChange change, CancellationToken cancellationToken)
    {
        var result = await change.ChangeAsync(user.AccountId()!.Value, user.SessionId()!.Value, request.CurrentPassword, request.NewPassword,
            context.Connection.RemoteIpAddress, cancellationToken);
        return result.Kind switch
        {
            PasswordChangeOutcome.Changed => TypedResults.NoContent(),
            PasswordChangeOutcome.Invalid => Problems.Invalid(result.Detail!),
            PasswordChangeOutcome.WeakPassword => Problems.WeakPassword(result.Detail!),
            PasswordChangeOutcome.Throttled => Problems.TooManyAttempts(context, result.RetryAfter!.Value),
            PasswordChangeOutcome.Busy => Problems.Busy(context, result.RetryAfter!.Value),
            PasswordChangeOutcome.WrongPassword => Problems.InvalidCredentials(),
            _ => Problems.SessionEnded(),
        };
    }

    public static async Task<Results<Ok<AccountProfile>, NotFound>> GetProfileAsync(
        ClaimsPrincipal user, AccountDbContext db, MfaClient mfa, CancellationToken cancellationToken)
    {
        if (user.AccountId() is not { } accountId)
        {
            return TypedResults.NotFound();
        }
        var account = await db.FindAccountAsync(accountId, cancellationToken);
        if (account is null)
        {
            return TypedResults.NotFound();
        }
        var state = await mfa.GetStateAsync(account.Id, cancellationToken);
        return TypedResults.Ok(new AccountProfile(account.Id, account.Email, EmailVerified: true, new AccountMfaSummary(state.Enabled, state.Method)));
    }

    /// <summary>
    /// The same work for every address: one outbox row, no account lookup. Whether an email goes out is decided
    /// later, by <see cref="Consumers.PasswordResetRequestReceivedConsumer"/>, so the response time tells nothing.
    /// </summary>
    public static async Task<Results<Accepted, ProblemHttpResult>> RequestPasswordResetAsync(
        PasswordResetRequest request, AccountDbContext db, IEventOutbox outbox, TimeProvider time, CancellationToken cancellationToken)
    {
        var email = EmailAddress.Normalize(request.Email);
        if (email is null)
        {
            return Problems.Invalid("The email address is not valid.");
        }
        outbox.Stage(new PasswordResetRequestReceived(email, time.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    public static async Task<Results<Ok, ProblemHttpResult>> ConfirmPasswordResetAsync(
        PasswordResetConfirmRequest request, AccountDbContext db, VerificationTokensClient verification, PasswordHasher hasher,
        PasswordPolicy policy, SessionTokens sessions, Devices.RememberedDevices remembered, IEventOutbox outbox, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!OpaqueToken.IsWellFormed(request.Token))
        {
            return Problems.InvalidResetToken();
        }
        // Check the new password before spending the link, so a weak choice does not cost the user their link.
        if (policy.Check(request.NewPassword) is { } weakness)
        {
            return Problems.WeakPassword(weakness);
        }
        // verification unreachable: the global handler answers 503 (fail closed).
        var redeemed = await verification.RedeemAsync(request.Token, TokenPurpose.PasswordReset, cancellationToken);
        if (redeemed is null)
        {
            return Problems.InvalidResetToken();
        }

        var account = await db.Accounts.SingleOrDefaultAsync(a => a.Id == redeemed.AccountId, cancellationToken);
        // A link asked for before the password last changed is dead: using one link invalidates every older one.
        if (account is null || redeemed.RequestedAt is not { } requestedAt || requestedAt < account.PasswordChangedAt)
        {
            return Problems.InvalidResetToken();
        }
        var now = time.GetUtcNow();
        account.PasswordHash = await hasher.HashAsync(request.NewPassword, cancellationToken);
        account.PasswordChangedAt = now;
        // Every session that proved itself before now dies, including one racing this reset (see SessionTokens).
        account.SessionsValidAfter = now;
        outbox.Stage(new PasswordChanged(account.Id, account.Email, now));
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await sessions.RevokeAllAsync(account.Id, cancellationToken);
        await remembered.ForgetAllAsync(account.Id, cancellationToken);
        // A password reset means the account may have been taken over: its access keys stop too.
        await db.AccessKeys.Where(k => k.AccountId == account.Id && k.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, now), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok();
    }
}
