using AuthPlatform.ServiceDefaults.Security;
using StackExchange.Redis;

namespace AuthPlatform.Account.Throttling;

public sealed class SignInThrottleOptions
{
    public int MaxFailuresPerAccount { get; set; } = 10;

    /// <summary>High on purpose: an office behind one NAT shares the address (design §5: at least 100).</summary>
    public int MaxFailuresPerAddress { get; set; } = 100;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>
/// Password-guessing limits, shared by every replica through Redis. Each attempt is counted before the password
/// is checked (so concurrent guesses cannot slip past the limit) and a successful sign-in takes its count back.
/// Unknown addresses are counted exactly like known ones.
/// </summary>
public sealed class SignInThrottle(IConnectionMultiplexer redis, SignInThrottleOptions options)
{
    // Counts the attempt; returns the remaining window in ms when this attempt is over the limit, else 0.
    private const string TakeScript = """
        local count = redis.call('INCR', KEYS[1])
        if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        if count > tonumber(ARGV[1]) then return redis.call('PTTL', KEYS[1]) end
        return 0
        """;

    /// <summary>Counts one attempt; a non-null result means "refuse, try again after this long".</summary>
    public async Task<TimeSpan?> TakeAttemptAsync(string emailKey, string? clientAddress)
    {
        var database = redis.GetDatabase();
        var window = (long)options.Window.TotalMilliseconds;
        var account = (long)await database.ScriptEvaluateAsync(TakeScript, [AccountKey(emailKey)], [options.MaxFailuresPerAccount, window]);
        var address = clientAddress is null ? 0L
            : (long)await database.ScriptEvaluateAsync(TakeScript, [AddressKey(clientAddress)], [options.MaxFailuresPerAddress, window]);
        var wait = Math.Max(account, address);
        return wait > 0 ? TimeSpan.FromMilliseconds(wait) : null;
    }

    /// <summary>The password was right: this attempt was not a failure.</summary>
    public async Task ForgiveAsync(string emailKey, string? clientAddress)
    {
        var database = redis.GetDatabase();
        await database.KeyDeleteAsync(AccountKey(emailKey));
        if (clientAddress is not null)
        {
            // Only while the window lives: a bare DECR would leave a key without expiry behind.
            await database.ScriptEvaluateAsync("if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('DECR', KEYS[1]) end",
                [AddressKey(clientAddress)]);
        }
    }

    private static RedisKey AccountKey(string emailKey) => $"account:signin-attempts:{OpaqueToken.Hash(emailKey)}";

    private static RedisKey AddressKey(string address) => $"account:signin-attempts-ip:{address}";
}
