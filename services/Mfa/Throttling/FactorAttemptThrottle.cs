using StackExchange.Redis;

namespace AuthPlatform.Mfa.Throttling;

/// <summary>
/// Per account and factor: at most 5 wrong codes per 5 minutes, then the factor is locked for a growing time.
/// Each attempt is reserved atomically in Redis before the code is checked, so concurrent guesses on any number of
/// replicas cannot get more tries than the limit; a right code gives its reservation back.
/// </summary>
public sealed class FactorAttemptThrottle(IConnectionMultiplexer redis, FactorThrottleOptions options)
{
    private const string TakeScript = """
        local locked = redis.call('PTTL', KEYS[1])
        if locked > 0 then return locked end
        local attempts = redis.call('INCR', KEYS[2])
        if attempts == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
        if attempts > tonumber(ARGV[1]) then
          local locks = redis.call('INCR', KEYS[3])
          redis.call('PEXPIRE', KEYS[3], 86400000)
          local ms = math.min(tonumber(ARGV[3]) * 2 ^ (locks - 1), tonumber(ARGV[4]))
          redis.call('SET', KEYS[1], '1', 'PX', math.floor(ms))
          redis.call('DEL', KEYS[2])
          return math.floor(ms)
        end
        return 0
        """;

    private const string GiveBackScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('DECR', KEYS[1]) end
        redis.call('DEL', KEYS[2])
        """;

    private const string FailureScript = """
        local n = redis.call('INCR', KEYS[1])
        redis.call('PEXPIRE', KEYS[1], 86400000)
        return n
        """;

    /// <summary>Reserves one attempt; non-null means "locked, try again after this long".</summary>
    public async Task<TimeSpan?> TakeAttemptAsync(Guid accountId, string factor)
    {
        var wait = (long)await redis.GetDatabase().ScriptEvaluateAsync(TakeScript,
            [LockKey(accountId, factor), AttemptsKey(accountId, factor), $"mfa:locks:{accountId}:{factor}"],
            [options.MaxWrongCodes, (long)options.Window.TotalMilliseconds, (long)options.FirstLock.TotalMilliseconds, (long)options.MaxLock.TotalMilliseconds]);
        return wait > 0 ? TimeSpan.FromMilliseconds(wait) : null;
    }

    public Task SucceededAsync(Guid accountId, string factor) =>
        redis.GetDatabase().ScriptEvaluateAsync(GiveBackScript, [AttemptsKey(accountId, factor), ConsecutiveKey(accountId)]);

    /// <summary>Counts a wrong code; true exactly when the account owner should now be alerted.</summary>
    public async Task<bool> FailedAsync(Guid accountId)
    {
        var consecutive = (long)await redis.GetDatabase().ScriptEvaluateAsync(FailureScript, [ConsecutiveKey(accountId)]);
        return consecutive % options.AlertAfterConsecutiveFailures == 0;
    }

    public int AlertThreshold => options.AlertAfterConsecutiveFailures;

    private static RedisKey LockKey(Guid accountId, string factor) => $"mfa:locked:{accountId}:{factor}";

    private static RedisKey AttemptsKey(Guid accountId, string factor) => $"mfa:attempts:{accountId}:{factor}";

    private static RedisKey ConsecutiveKey(Guid accountId) => $"mfa:consecutive-failures:{accountId}";
}
