using System.Security.Claims;
using AuthPlatform.Account.Infrastructure;
using AuthPlatform.Account.Model;
using AuthPlatform.Account.Passwords;
using AuthPlatform.Account.Tokens;
using AuthPlatform.Contracts;
using AuthPlatform.ServiceDefaults.Outbox;
using AuthPlatform.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Account.Apis;

public sealed record SignUpRequest(string Email, string Password);

public sealed record PasswordResetRequest(string Email);

public sealed record PasswordResetConfirmRequest(string Token, string NewPassword);

public sealed record MfaStatus(bool Enabled, string? Method);

public sealed record AccountProfile(Guid Id, string Email, bool EmailVerified, MfaStatus Mfa);

public static class AccountApi
{
    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/accounts").WithTags("Accounts");

        api.MapPost("/", SignUpAsync)
            .WithSummary("Create an account; a \"Verify email\" message follows")
            .WithDescription("Answers 202 whether or not the address already has an account.");
        api.MapGet("/me", GetProfileAsync).RequireAuthorization().WithSummary("The signed-in account");
        api.MapPost("/password-reset", RequestPasswordResetAsync).WithSummary("Email a password-reset link (always 202)");
        api.MapPost("/password-reset/confirm", ConfirmPasswordResetAsync).WithSummary("Set a new password with a reset link's token");
        return app;
    }

    /// <summary>
    /// New address: create the account. Existing unverified: send a fresh verification email. Existing verified:
    /// tell the owner someone tried. The response and the work done (one password hash) are the same in all three.
    /// </summary>
    public static async Task<Results<Accepted, ProblemHttpResult>> SignUpAsync(
        SignUpRequest request, AccountDbContext db, IEventOutbox outbox, PasswordHasher hasher, PasswordPolicy policy,
        TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var email = EmailAddress.Normalize(request.Email);
        if (email is null)
        {
            return Problems.Invalid("The email address is not valid.");
        }
        if (policy.Check(request.Password) is { } weakness)
        {
            return Problems.WeakPassword(weakness);
        }

        var now = time.GetUtcNow();
        var passwordHash = hasher.Hash(request.Password);
        var emailKey = EmailAddress.Key(email);
        var existing = await db.Accounts.SingleOrDefaultAsync(a => a.EmailKey == emailKey, cancellationToken);
        if (existing is null)
        {
            var account = new UserAccount
            {
                Id = Guid.CreateVersion7(),
                Email = email,
                EmailKey = emailKey,
                PasswordHash = passwordHash,
                CreatedAt = now,
                PasswordChangedAt = now,
            };
            db.Accounts.Add(account);
            outbox.Stage(new AccountRegistered(account.Id, email, now));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                loggers.CreateLogger("AuthPlatform.Account.SignUp").LogInformation("Account {AccountId} registered for {Email}", account.Id, Redact.Email(email));
                return TypedResults.Accepted((string?)null);
            }
            catch (DbUpdateException)
            {
                // Lost a race with a concurrent sign-up for the same address: treat it as existing.
                db.ChangeTracker.Clear();
                existing = await db.Accounts.SingleOrDefaultAsync(a => a.EmailKey == emailKey, cancellationToken);
                if (existing is null)
                {
                    throw;
                }
            }
        }

        outbox.Stage<object>(existing.EmailVerified
            ? new SignUpAttemptedOnExistingAccount(existing.Id, existing.Email, now)
            : new EmailVerificationRequested(existing.Id, existing.Email, now));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    public static async Task<Results<Ok<AccountProfile>, NotFound>> GetProfileAsync(
        ClaimsPrincipal user, AccountDbContext db, MfaClient mfa, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(user.FindFirstValue("sub"), out var accountId))
        {
            return TypedResults.NotFound();
        }
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == accountId, cancellationToken);
        if (account is null)
        {
            return TypedResults.NotFound();
        }
        var state = await mfa.GetStateAsync(account.Id, cancellationToken);
        return TypedResults.Ok(new AccountProfile(account.Id, account.Email, account.EmailVerified, new MfaStatus(state.Enabled, state.Method)));
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
        PasswordResetConfirmRequest request, AccountDbContext db, VerificationClient verification, PasswordHasher hasher,
        PasswordPolicy policy, SessionTokens sessions, IEventOutbox outbox, TimeProvider time, CancellationToken cancellationToken)
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
        RedeemedToken? redeemed;
        try
        {
            redeemed = await verification.RedeemAsync(request.Token, "password-reset", cancellationToken);
        }
        catch (HttpRequestException)
        {
            return Problems.Unavailable();
        }
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
        account.PasswordHash = hasher.Hash(request.NewPassword);
        account.PasswordChangedAt = now;
        account.EmailVerified = true; // following the emailed link proved control of the address
        outbox.Stage(new PasswordChanged(account.Id, account.Email, now));
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await sessions.RevokeAllAsync(account.Id, cancellationToken);
        // A password reset means the account may have been taken over: its access keys stop too.
        await db.AccessKeys.Where(k => k.AccountId == account.Id && k.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, now), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok();
    }
}
