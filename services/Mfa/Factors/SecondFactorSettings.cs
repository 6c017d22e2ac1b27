using AuthPlatform.Mfa.Infrastructure;
using AuthPlatform.Mfa.Model;
using AuthPlatform.Mfa.RecoveryCodes;
using AuthPlatform.Outbox;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Mfa.Factors;

/// <summary>Turning 2FA on (or switching factor), off, and renewing recovery codes; each with its event, in one transaction.</summary>
public sealed class SecondFactorSettings(MfaDbContext db, RecoveryCodeBook recoveryCodes, IEventOutbox outbox, TimeProvider time)
{
    /// <summary>
    /// Makes a confirmed pending setup the account's factor. The old factor dies here, not before; every session
    /// but <paramref name="sessionId"/> (the one that enrolled it) is ended by account on <see cref="MfaEnabled"/>.
    /// </summary>
    public async Task<IReadOnlyList<string>> ActivateAsync(PendingFactor pending, string email, Guid? sessionId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
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
        db.PendingFactors.Remove(pending);
        var codes = await recoveryCodes.ReplaceAsync(pending.AccountId, cancellationToken);
        outbox.Stage(new MfaEnabled(pending.AccountId, email, pending.Method, reconfigured, now, sessionId));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return codes;
    }

    public async Task DisableAsync(Guid accountId, string email, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The recovery codes' turn first, as in ActivateAsync, so the two never wait on each other's locks.
        await recoveryCodes.RemoveAllAsync(accountId, cancellationToken);
        await db.SecondFactors.Where(f => f.AccountId == accountId).ExecuteDeleteAsync(cancellationToken);
        await db.PendingFactors.Where(f => f.AccountId == accountId).ExecuteDeleteAsync(cancellationToken);
        outbox.Stage(new MfaDisabled(accountId, email, time.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<string>> RegenerateRecoveryCodesAsync(Guid accountId, string email, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var codes = await recoveryCodes.ReplaceAsync(accountId, cancellationToken);
        outbox.Stage(new RecoveryCodesRegenerated(accountId, email, time.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return codes;
    }
}
