using AuthPlatform.Account.Infrastructure;
using AuthPlatform.Account.Throttling;
using AuthPlatform.Account.Tokens;
using AuthPlatform.Contracts;
using AuthPlatform.ServiceDefaults.Outbox;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Account.Passwords;

public enum PasswordChangeOutcome
{
    Changed,
    Invalid,
    Throttled,
    WrongPassword,
    WeakPassword,
    AccountGone,
}

public sealed record PasswordChangeResult(PasswordChangeOutcome Kind, string? Detail = null, TimeSpan? RetryAfter = null);

/// <summary>
/// The signed-in owner changes the password, proving the current one (counted by the sign-in throttle). Every
/// other session ends; the caller's stays signed in. Access keys are the owner's own and keep working.
/// </summary>
public sealed class PasswordChange(
    AccountDbContext db, PasswordHasher hasher, PasswordPolicy policy, SignInThrottle throttle, SessionTokens sessions,
    IEventOutbox outbox, TimeProvider time)
{
    public async Task<PasswordChangeResult> ChangeAsync(Guid accountId, Guid sessionId, string? currentPassword, string? newPassword,
        string? clientAddress, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(currentPassword) || currentPassword.Length > PasswordPolicy.MaxLength * 4)
        {
            return new(PasswordChangeOutcome.Invalid, "currentPassword is required.");
        }
        if (policy.Check(newPassword) is { } weakness)
        {
            return new(PasswordChangeOutcome.WeakPassword, weakness);
        }
        var account = await db.Accounts.SingleOrDefaultAsync(a => a.Id == accountId, cancellationToken);
        if (account is null)
        {
            return new(PasswordChangeOutcome.AccountGone);
        }
        if (await throttle.TakeAttemptAsync(account.EmailKey, clientAddress) is { } retryAfter)
        {
            return new(PasswordChangeOutcome.Throttled, RetryAfter: retryAfter);
        }
        if (hasher.Verify(account.PasswordHash, currentPassword) == PasswordCheck.Wrong)
        {
            return new(PasswordChangeOutcome.WrongPassword);
        }
        await throttle.ForgiveAsync(account.EmailKey, clientAddress);

        var now = time.GetUtcNow();
        account.PasswordHash = hasher.Hash(newPassword!);
        account.PasswordChangedAt = now;
        outbox.Stage(new PasswordChanged(account.Id, account.Email, now));
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await sessions.RevokeOthersAsync(account.Id, sessionId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(PasswordChangeOutcome.Changed);
    }
}
