using AuthPlatform.Mfa.Infrastructure;
using AuthPlatform.Mfa.Model;
using AuthPlatform.Mfa.RecoveryCodes;
using AuthPlatform.Outbox;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Mfa.Factors;

/// <summary>
/// Turning 2FA on (or switching factor), off, and renewing recovery codes; each with its event, in one transaction.
/// Changes to one account take turns (<see cref="TakeTurnAsync"/>) and look again at what they change once it is their
/// turn: two renewals at once each deleted only the codes they could see and both inserted ten (five at once left 50
/// working codes), and a confirmation or renewal queued behind turning 2FA off found its rows gone.
/// </summary>
public sealed class SecondFactorSettings(MfaDbContext db, RecoveryCodeBook recoveryCodes, IEventOutbox outbox, TimeProvider time)
{
    /// <summary>
    /// Makes a confirmed pending setup the account's factor. The old factor dies here, not before; every session
    /// but <paramref name="sessionId"/> (the one that enrolled it) is ended by account on <see cref="MfaEnabled"/>.
    /// Null when the setup is no longer pending (another start replaced it, or 2FA was turned off meanwhile).
    /// </summary>
    public async Task<IReadOnlyList<string>?> ActivateAsync(PendingFactor pending, string email, Guid? sessionId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await TakeTurnAsync(pending.AccountId, cancellationToken);
        var stillPending = await db.PendingFactors
            .Where(p => p.AccountId == pending.AccountId && p.Method == pending.Method && p.CreatedAt == pending.CreatedAt
                && p.ProtectedSecret == pending.ProtectedSecret && p.PhoneNumber == pending.PhoneNumber)
            .ExecuteDeleteAsync(cancellationToken);
        if (stillPending == 0)
        {
            return null;
        }
        var factor = await db.SecondFactors.SingleOrDefaultAsync(f => f.AccountId == pending.AccountId, cancellationToken);
        var reconfigured = factor is not null;
        if (factor is null)
        {
            factor = new SecondFactor { AccountId = pending.AccountId, Method = pending.Method };
            db.SecondFactors.Add(factor);
        }
        factor.Method = pending.Method;
        factor.ProtectedSecret = pending.ProtectedSecret;
        factor.PhoneNumber = pending.PhoneNumber;
        factor.EnabledAt = now;
        var codes = await recoveryCodes.ReplaceAsync(pending.AccountId, cancellationToken);
        outbox.Stage(new MfaEnabled(pending.AccountId, email, pending.Method, reconfigured, now, sessionId));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return codes;
    }

    public async Task DisableAsync(Guid accountId, string email, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await TakeTurnAsync(accountId, cancellationToken);
        await db.SecondFactors.Where(f => f.AccountId == accountId).ExecuteDeleteAsync(cancellationToken);
        await db.PendingFactors.Where(f => f.AccountId == accountId).ExecuteDeleteAsync(cancellationToken);
        await recoveryCodes.RemoveAllAsync(accountId, cancellationToken);
        outbox.Stage(new MfaDisabled(accountId, email, time.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>New recovery codes; null when 2FA was turned off while this waited for its turn.</summary>
    public async Task<IReadOnlyList<string>?> RegenerateRecoveryCodesAsync(Guid accountId, string email, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await TakeTurnAsync(accountId, cancellationToken);
        if (!await db.SecondFactors.AnyAsync(f => f.AccountId == accountId, cancellationToken))
        {
            return null;
        }
        var codes = await recoveryCodes.ReplaceAsync(accountId, cancellationToken);
        outbox.Stage(new RecoveryCodesRegenerated(accountId, email, time.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return codes;
    }

    /// <summary>The advisory lock's first key (<c>hashtext</c> of it); the second is the account's id, hashed the same way.</summary>
    public const string TurnLock = "mfa.second-factor-settings";

    // A transaction advisory lock on the account, held until the caller's transaction ends.
    private Task TakeTurnAsync(Guid accountId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext({TurnLock}), hashtext({accountId.ToString()}))", cancellationToken);
}
