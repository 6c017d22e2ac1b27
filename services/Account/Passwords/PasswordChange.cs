using AuthPlatform.Account.Infrastructure;
using AuthPlatform.Account.Throttling;
using AuthPlatform.Account.Tokens;
using AuthPlatform.Outbox;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Account.Passwords;

public enum PasswordChangeOutcome
{
    Changed,
    Invalid,
    Throttled,
    Busy,
    WrongPassword,
    WeakPassword,
    AccountGone,
}

public sealed record PasswordChangeResult(PasswordChangeOutcome Kind, string? Detail = null, TimeSpan? RetryAfter = null);

/// <summary>
/// The signed-in owner changes the password, proving the current one (counted by the sign-in throttle). Every
/// other session ends and every remembered device is forgotten; the caller's session stays. Access keys are the
/// owner's own and keep working.
/// </summary>
public sealed class PasswordChange(
    AccountDbContext db, PasswordHasher hasher, PasswordPolicy policy, PasswordSignIn passwords, SessionTokens sessions,
    Devices.RememberedDevices remembered, IEventOutbox outbox, TimeProvider time)
{
    public async Task<PasswordChangeResult> ChangeAsync(Guid accountId, Guid sessionId, string? currentPassword, string? newPassword,
        System.Net.IPAddress? client, CancellationToken cancellationToken)
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
        var proof = await passwords.ProveAsync(account, currentPassword, client, cancellationToken);
        switch (proof.Result)
        {
            case PasswordSignInResult.Throttled:
                return new(PasswordChangeOutcome.Throttled, RetryAfter: proof.RetryAfter);
            case PasswordSignInResult.Busy:
                return new(PasswordChangeOutcome.Busy, RetryAfter: proof.RetryAfter);
            case PasswordSignInResult.WrongCredentials:
                return new(PasswordChangeOutcome.WrongPassword);
        }

        var now = time.GetUtcNow();
        string newHash;
        try
        {
            newHash = await hasher.HashAsync(newPassword!, cancellationToken);
        }
        catch (PasswordHashingBusyException busy)
        {
            return new(PasswordChangeOutcome.Busy, RetryAfter: busy.RetryAfter);
        }
        account.PasswordHash = newHash;
        account.PasswordChangedAt = now;
        outbox.Stage(new PasswordChanged(account.Id, account.Email, now));
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await sessions.RevokeOthersAsync(account.Id, sessionId, cancellationToken);
        await remembered.ForgetAllAsync(account.Id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(PasswordChangeOutcome.Changed);
    }
}
