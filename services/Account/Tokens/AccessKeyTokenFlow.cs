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
    public async Task<AccessKeyTokenOutcome> IssueAsync(string clientId, string clientSecret, string network, CancellationToken cancellationToken)
    {
        // Per client network only: key ids are not secret, so a per-key lock would let anyone disable a key.
        if (await throttle.TakeKeySecretAttemptAsync(network) is { } retryAfter)
        {
            return new(AccessKeyTokenResult.Throttled, RetryAfter: retryAfter);
        }

        // One statement checks the key and records its use, and answers its owner: it row-locks the key, so a revoke
        // either commits first (and this matches nothing) or waits for it. The secret is compared as its SHA-256,
        // which tells a timing observer nothing about the secret; an unknown id and a wrong secret cost the same.
        var owners = await db.Database.SqlQuery<KeyOwner>($"""
            UPDATE access_keys AS k SET "LastUsedAt" = {time.GetUtcNow()}
            FROM accounts AS a
            WHERE k."AccessKeyId" = {clientId} AND k."SecretHash" = {OpaqueToken.Hash(clientSecret)} AND k."RevokedAt" IS NULL
              AND a."Id" = k."AccountId"
            RETURNING a."Id" AS "AccountId", a."Email"
            """).ToListAsync(cancellationToken);
        if (owners is not [var owner])
        {
            return new(AccessKeyTokenResult.InvalidClient);
        }
        var accessToken = await issuer.IssueAsync(owner.AccountId, owner.Email, [SignedInCaller.AccessKeyMethod], session: null, cancellationToken);
        await throttle.ForgiveKeySecretAttemptAsync(network);
        return new(AccessKeyTokenResult.Issued, accessToken);
    }

    private sealed record KeyOwner(Guid AccountId, string Email);
}
