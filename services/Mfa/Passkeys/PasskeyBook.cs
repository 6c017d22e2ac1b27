using AuthPlatform.Mfa.Infrastructure;
using AuthPlatform.Mfa.Model;
using AuthPlatform.Outbox;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Mfa.Passkeys;

/// <summary>An account's passkeys as its owner manages them: list, rename, remove (with the owner's email).</summary>
public sealed class PasskeyBook(MfaDbContext db, IEventOutbox outbox, TimeProvider time)
{
    public async Task<IReadOnlyList<Passkey>> ListAsync(Guid accountId, CancellationToken cancellationToken) =>
        await db.Passkeys.AsNoTracking().Where(p => p.AccountId == accountId).OrderBy(p => p.CreatedAt).ToListAsync(cancellationToken);

    public Task<int> CountAsync(Guid accountId, CancellationToken cancellationToken) =>
        db.Passkeys.CountAsync(p => p.AccountId == accountId, cancellationToken);

    public async Task<Passkey?> RenameAsync(Guid accountId, Guid id, string name, CancellationToken cancellationToken)
    {
        var passkey = await db.Passkeys.SingleOrDefaultAsync(p => p.Id == id && p.AccountId == accountId, cancellationToken);
        if (passkey is null)
        {
            return null;
        }
        passkey.Name = name;
        await db.SaveChangesAsync(cancellationToken);
        return passkey;
    }

    /// <summary>
    /// Removes a passkey and tells its owner. A passkey is never an account's last way to sign in: every account keeps
    /// a password or a linked identity (account refuses to remove the last of those), so removing one is always allowed.
    /// </summary>
    public async Task<bool> RemoveAsync(Guid accountId, string email, Guid id, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var passkey = await db.Passkeys.SingleOrDefaultAsync(p => p.Id == id && p.AccountId == accountId, cancellationToken);
        if (passkey is null)
        {
            return false;
        }
        db.Passkeys.Remove(passkey);
        outbox.Stage(new PasskeyRemoved(accountId, email, passkey.Name, time.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
