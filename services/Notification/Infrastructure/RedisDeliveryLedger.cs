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

    internal static RedisKey Key(string channel, Guid messageId) => $"notification:{channel}:{messageId}";
}
