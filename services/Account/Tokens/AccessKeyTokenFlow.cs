using System.Security.Cryptography;
using System.Text;
using AuthPlatform.Account.Infrastructure;
using AuthPlatform.Account.Throttling;
using Microsoft.EntityFrameworkCore;

namespace AuthPlatform.Account.Tokens;

public enum AccessKeyTokenResult { Issued, InvalidClient, Throttled }

public sealed record AccessKeyTokenOutcome(AccessKeyTokenResult Result, string? AccessToken = null, TimeSpan RetryAfter = default);

/// <summary>
/// An access key's id and secret exchanged for an access token that acts as the key's owner (amr=["key"]), with the
/// failed-secret throttle per client network. The token endpoint only reads the request and translates the outcome.
/// </summary>
public sealed class AccessKeyTokenFlow(AccountDbContext db, SignInThrottle throttle, AccessTokenIssuer issuer, TimeProvider time)
{
    // Compared against when the key id is unknown, so that every failure costs the same.
    private static readonly byte[] DummyHash = Encoding.ASCII.GetBytes(OpaqueToken.Hash("no such key"));

    public async Task<AccessKeyTokenOutcome> IssueAsync(string clientId, string clientSecret, string network, CancellationToken cancellationToken)
    {
        // Per client network only: key ids are not secret, so a per-key lock would let anyone disable a key.
        if (await throttle.TakeKeySecretAttemptAsync(network) is { } retryAfter)
        {
            return new(AccessKeyTokenResult.Throttled, RetryAfter: retryAfter);
        }

        var secretHash = Encoding.ASCII.GetBytes(OpaqueToken.Hash(clientSecret));
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Row lock: a revoke waits for this request, so none can mint a token after a revoke has returned.
        var key = await db.AccessKeys
            .FromSql($"SELECT * FROM access_keys WHERE \"AccessKeyId\" = {clientId} FOR UPDATE")
            .SingleOrDefaultAsync(cancellationToken);
        var matches = CryptographicOperations.FixedTimeEquals(key is null ? DummyHash : Encoding.ASCII.GetBytes(key.SecretHash), secretHash);
        if (key is null || !matches || key.RevokedAt is not null)
        {
            return new(AccessKeyTokenResult.InvalidClient);
        }
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == key.AccountId, cancellationToken);
        if (account is null)
        {
            return new(AccessKeyTokenResult.InvalidClient);
        }
        var accessToken = await issuer.IssueAsync(account.Id, account.Email, [SignedInCaller.AccessKeyMethod], session: null, cancellationToken);
        key.LastUsedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await throttle.ForgiveKeySecretAttemptAsync(network);
        return new(AccessKeyTokenResult.Issued, accessToken);
    }
}
