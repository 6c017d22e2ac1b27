using AuthPlatform.Account.Infrastructure;
using AuthPlatform.Account.Model;
using AuthPlatform.Outbox;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Account.Registration;

/// <summary>Turns a proven registration into the account, and finds the registrations still waiting for proof.</summary>
public sealed partial class PendingRegistrations(AccountDbContext db, IEventOutbox outbox, TimeProvider time, ILogger<PendingRegistrations> logger)
{
    /// <summary>The newest registration of an address that has not expired, if any.</summary>
    public Task<PendingRegistration?> NewestAsync(string emailKey, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return db.PendingRegistrations.AsNoTracking().Where(r => r.EmailKey == emailKey && r.ExpiresAt > now)
            .OrderByDescending(r => r.CreatedAt).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// The address of <paramref name="registrationId"/> was proven: the account is created with that registration's
    /// password, and every other registration of the address dies. Idempotent; an expired or superseded
    /// registration, or an address that already has an account, creates nothing.
    /// </summary>
    public async Task<UserAccount?> CompleteAsync(Guid registrationId, string email, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var registration = await db.PendingRegistrations.AsNoTracking()
            .SingleOrDefaultAsync(r => r.Id == registrationId && r.ExpiresAt > now, cancellationToken);
        if (registration is null || registration.EmailKey != EmailAddress.Key(email))
        {
            return null;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.Accounts.AnyAsync(a => a.EmailKey == registration.EmailKey, cancellationToken))
        {
            await db.PendingRegistrations.Where(r => r.EmailKey == registration.EmailKey).ExecuteDeleteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return null;
        }
        var account = new UserAccount
        {
            // The registration's id, so a redelivered EmailVerified finds the same account.
            Id = registration.Id,
            Email = registration.Email,
            EmailKey = registration.EmailKey,
            PasswordHash = registration.PasswordHash,
            CreatedAt = now,
            PasswordChangedAt = registration.CreatedAt,
            // No session can predate the registration: before the proof its password only hears "verify your email".
            // Not the proof's time: a sign-in whose proof time fell between it and this commit, and whose read found
            // the new account, checked the right password and was refused (401, seen in CI under load).
            SessionsValidAfter = registration.CreatedAt,
        };
        db.Accounts.Add(account);
        outbox.Stage(new AccountRegistered(account.Id, account.Email, now));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A concurrent proof for another registration of the address won the unique index.
            return null;
        }
        await db.PendingRegistrations.Where(r => r.EmailKey == registration.EmailKey).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogCompleted(account.Id, Redact.Email(account.Email));
        return account;
    }

    [LoggerMessage(LogLevel.Information, "Account {AccountId} registered for {Email}")]
    private partial void LogCompleted(Guid accountId, string email);
}
