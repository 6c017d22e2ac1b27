using System.Text.Json;
using StackExchange.Redis;

namespace AuthPlatform.Account.ExternalSignIn;

/// <summary>An external identity waiting for its account's owner to prove the account is theirs.</summary>
/// <param name="IssuedAt">A password proof counts only when it happened after this.</param>
public sealed record PendingLink(Guid AccountId, string Provider, string Subject, string Email, DateTimeOffset IssuedAt);

/// <summary>
/// The link token between "Google says this is x@example.com, and x@example.com already has an account" and the
/// owner's proof: 256 random bits, 15 minutes, stored hashed in Redis, spent once.
/// </summary>
public sealed class ExternalLinkProofs(IConnectionMultiplexer redis, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    public async Task<string> IssueAsync(Guid accountId, string provider, string subject, string email)
    {
        var token = OpaqueToken.New(32);
        var link = new PendingLink(accountId, provider, subject, email, time.GetUtcNow());
        await redis.GetDatabase().StringSetAsync(Key(token), JsonSerializer.Serialize(link), Lifetime);
        return token;
    }

    public async Task<PendingLink?> FindAsync(string token)
    {
        if (!OpaqueToken.IsWellFormed(token))
        {
            return null;
        }
        var value = await redis.GetDatabase().StringGetAsync(Key(token));
        return value.IsNullOrEmpty ? null : JsonSerializer.Deserialize<PendingLink>((string)value!);
    }

    /// <summary>True for exactly one caller: the one that links.</summary>
    public async Task<bool> TrySpendAsync(string token) => !(await redis.GetDatabase().StringGetDeleteAsync(Key(token))).IsNullOrEmpty;

    private static RedisKey Key(string token) => $"account:external-link:{OpaqueToken.Hash(token)}";
}
