using AuthPlatform.Account.Infrastructure;
using AuthPlatform.Account.Model;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Account.ExternalSignIn;

public enum LinkOutcome
{
    Linked,
    /// <summary>The link token is unknown, expired, spent, or belongs to another account.</summary>
    LinkGone,
    /// <summary>The session did not prove the password after the link was asked for.</summary>
    ProofRequired,
    /// <summary>The identity is linked to an account already (maybe this one).</summary>
    AlreadyLinked,
}

public enum UnlinkOutcome
{
    Unlinked,
    NotFound,
    /// <summary>No password and no other identity: unlinking would leave no way in.</summary>
    LastWayToSignIn,
}

/// <summary>An account's sign-in methods: its password (or none yet) and its linked identities.</summary>
public sealed record SignInMethods(bool HasPassword, IReadOnlyList<ExternalIdentity> Identities);

/// <summary>The account owner's side of external identities: list, link after proof, unlink.</summary>
public sealed partial class ExternalIdentityLinks(AccountDbContext db, ExternalLinkProofs links, TimeProvider time, ILogger<ExternalIdentityLinks> logger)
{
    public async Task<SignInMethods?> ListAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var account = await db.FindAccountAsync(accountId, cancellationToken);
        if (account is null)
        {
            return null;
        }
        var identities = await db.ExternalIdentities.AsNoTracking().Where(i => i.AccountId == accountId)
            .OrderBy(i => i.LinkedAt).ToListAsync(cancellationToken);
        return new SignInMethods(account.HasPassword, identities);
    }

    /// <summary>
    /// Links the identity the token stands for, when the caller is that account and proved its password after the
    /// link was asked for (the session's amr has "pwd" and its auth_time is later): Google's word about the address
    /// alone never opens an account that has a password.
    /// </summary>
    public async Task<(LinkOutcome Outcome, ExternalIdentity? Identity)> LinkAsync(Guid accountId, IReadOnlyCollection<string> methods,
        DateTimeOffset? authenticatedAt, string linkToken, CancellationToken cancellationToken)
    {
        if (await links.FindAsync(linkToken) is not { } pending || pending.AccountId != accountId)
        {
            return (LinkOutcome.LinkGone, null);
        }
        // auth_time has whole seconds; the proof must not be older than the second the link was asked for.
        if (!methods.Contains(Tokens.MfaChallenge.Password) || authenticatedAt is not { } provenAt
            || provenAt < pending.IssuedAt.AddTicks(-(pending.IssuedAt.Ticks % TimeSpan.TicksPerSecond)))
        {
            return (LinkOutcome.ProofRequired, null);
        }
        if (!await links.TrySpendAsync(linkToken))
        {
            return (LinkOutcome.LinkGone, null);
        }
        var identity = new ExternalIdentity
        {
            Id = Guid.CreateVersion7(), AccountId = accountId, Provider = pending.Provider, Subject = pending.Subject, Email = pending.Email,
            LinkedAt = time.GetUtcNow(),
        };
        db.ExternalIdentities.Add(identity);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return (LinkOutcome.AlreadyLinked, null);
        }
        LogLinked(accountId, identity.Provider);
        return (LinkOutcome.Linked, identity);
    }

    public async Task<UnlinkOutcome> UnlinkAsync(Guid accountId, Guid identityId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The account row locked: two unlinks racing cannot each leave the other as the last way in and remove both.
        var hashes = await db.Database
            .SqlQuery<string>($"""SELECT "PasswordHash" AS "Value" FROM accounts WHERE "Id" = {accountId} FOR UPDATE""")
            .ToListAsync(cancellationToken);
        var identities = await db.ExternalIdentities.Where(i => i.AccountId == accountId).ToListAsync(cancellationToken);
        if (hashes.Count == 0 || identities.SingleOrDefault(i => i.Id == identityId) is not { } identity)
        {
            return UnlinkOutcome.NotFound;
        }
        if (hashes[0].Length == 0 && identities.Count == 1)
        {
            return UnlinkOutcome.LastWayToSignIn;
        }
        db.ExternalIdentities.Remove(identity);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogUnlinked(accountId, identity.Provider);
        return UnlinkOutcome.Unlinked;
    }

    [LoggerMessage(LogLevel.Information, "Account {AccountId} linked a {Provider} identity")]
    private partial void LogLinked(Guid accountId, string provider);

    [LoggerMessage(LogLevel.Information, "Account {AccountId} unlinked a {Provider} identity")]
    private partial void LogUnlinked(Guid accountId, string provider);
}
