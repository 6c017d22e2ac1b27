using AuthPlatform.Notification.Delivery;
using StackExchange.Redis;

namespace AuthPlatform.Notification.Infrastructure;

/// <summary>The delivery ledger in Redis: one key per delivered message, <c>notification:{channel}:{messageId}</c>.</summary>
public sealed class RedisDeliveryLedger(IConnectionMultiplexer redis, TimeProvider timeProvider) : IDeliveryLedger
{
    // Far longer than any redelivery can take (retries, an outage, an operator replaying the error queue).
    private static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    public async Task<bool> WasDeliveredAsync(string channel, Guid messageId, CancellationToken cancellationToken) =>
        await redis.GetDatabase().KeyExistsAsync(Key(channel, messageId));

    public async Task MarkDeliveredAsync(string channel, Guid messageId, CancellationToken cancellationToken) =>
        // The value (when it was sent) is for whoever inspects the key; only its existence matters here.
        await redis.GetDatabase().StringSetAsync(Key(channel, messageId), timeProvider.GetUtcNow().ToString("O"), Retention);

    // Longer than any one send (SMTP's whole exchange is capped at a minute, Twilio's retries well below): a worker
    // that died while sending holds the message this long, then a redelivery sends it (once more, at worst).
    private static readonly TimeSpan SendingHold = TimeSpan.FromMinutes(1);

    public async Task<bool> TryClaimAsync(string channel, Guid messageId, CancellationToken cancellationToken) =>
        await redis.GetDatabase().StringSetAsync(ClaimKey(channel, messageId), "1", SendingHold, When.NotExists);

    public async Task ReleaseClaimAsync(string channel, Guid messageId, CancellationToken cancellationToken)
    {
        try
        {
            await redis.GetDatabase().KeyDeleteAsync(ClaimKey(channel, messageId));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The claim expires by itself (SendingHold).
        }
    }

    // Starts the cooldown, or finds it started by this same message (a redelivery).
    private const string CooldownScript = """
        if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return 1 end
        if redis.call('GET', KEYS[1]) == ARGV[1] then return 1 end
        return 0
        """;

    public async Task<bool> TryStartCooldownAsync(string email, string address, Guid? messageId, TimeSpan cooldown, CancellationToken cancellationToken)
    {
        // The address only as a hash: keys show up in Redis tooling and memory dumps.
        var addressHash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(address.Trim().ToLowerInvariant())));
        return (long)await redis.GetDatabase().ScriptEvaluateAsync(CooldownScript,
            [$"notification:cooldown:{email}:{addressHash}"],
            [(messageId ?? Guid.NewGuid()).ToString("N"), Math.Max(1, (long)cooldown.TotalMilliseconds)]) == 1;
    }

    internal static RedisKey Key(string channel, Guid messageId) => $"notification:{channel}:{messageId}";

    private static RedisKey ClaimKey(string channel, Guid messageId) => $"notification:{channel}:{messageId}:sending";
}
