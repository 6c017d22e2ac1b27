using AuthPlatform.Web;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AuthPlatform.Account.Throttling;

/// <summary>
/// Password-guessing limits, shared by every replica through Redis, counted by client network
/// (<see cref="ClientNetwork"/>). A guess from one network cannot lock the owner out on another: the low limit is
/// per (account, network), and a known device is exempt from it; only the high ceiling of consecutive failures
/// per account (NIST's 100) is global, and nothing bypasses it. Each attempt takes its slot before the password
/// is checked (so concurrent guesses cannot slip past a limit) and a successful sign-in gives it back.
/// Unknown addresses are counted exactly like known ones.
/// </summary>
public sealed class SignInThrottle(IConnectionMultiplexer redis, IOptions<SignInThrottleOptions> settings)
{
    private readonly SignInThrottleOptions _options = settings.Value;

    // Per key: ARGV limit, window ms, sliding (1: every attempt renews the window). When any key is at its limit the
    // attempt is refused with the longest remaining window and counts nowhere (a refusal never extends a lock);
    // otherwise every key counts it.
    private const string TakeScript = """
        local wait = 0
        for i = 1, #KEYS do
          local count = tonumber(redis.call('GET', KEYS[i]) or '0')
          if count >= tonumber(ARGV[i * 3 - 2]) then
            local ttl = redis.call('PTTL', KEYS[i])
            if ttl < 1 then ttl = 1000 end
            if ttl > wait then wait = ttl end
          end
        end
        if wait > 0 then return wait end
        for i = 1, #KEYS do
          local count = redis.call('INCR', KEYS[i])
          if count == 1 or ARGV[i * 3] == '1' then redis.call('PEXPIRE', KEYS[i], ARGV[i * 3 - 1]) end
        end
        return 0
        """;

    // Only while the window lives: a bare DECR would leave a key without expiry behind.
    private const string GiveBackScript = """
        for i = 1, #KEYS do
          if redis.call('EXISTS', KEYS[i]) == 1 then redis.call('DECR', KEYS[i]) end
        end
        return 0
        """;

    private const string CountSuccessScript = """
        local count = redis.call('INCR', KEYS[1])
        if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        if count > tonumber(ARGV[1]) then return redis.call('PTTL', KEYS[1]) end
        return 0
        """;

    /// <summary>Takes a password attempt's slot; a non-null result means "refuse, try again after this long".</summary>
    public Task<TimeSpan?> TakePasswordAttemptAsync(string emailKey, string network, bool knownDevice) =>
        TakeAsync([.. PasswordCounters(emailKey, network, knownDevice)]);

    /// <summary>The attempt could not be checked (hashing was busy): it was no failure.</summary>
    public Task GiveBackPasswordAttemptAsync(string emailKey, string network, bool knownDevice) =>
        GiveBackAsync([.. PasswordCounters(emailKey, network, knownDevice).Select(c => c.Key)]);

    /// <summary>The password was right: this attempt was no failure, and the account's failure streaks end.</summary>
    public async Task ForgivePasswordAttemptAsync(string emailKey, string network)
    {
        var database = redis.GetDatabase();
        await database.KeyDeleteAsync([AccountAndNetworkKey(emailKey, network), AccountKey(emailKey)]);
        await GiveBackAsync([NetworkKey("signin", network)]);
    }

    /// <summary>Refuses before any hashing when the account has used up its correct sign-ins for this minute.</summary>
    public async Task<TimeSpan?> SuccessesExhaustedAsync(string emailKey)
    {
        var database = redis.GetDatabase();
        var count = (long?)await database.StringGetAsync(SuccessKey(emailKey)) ?? 0;
        if (count < _options.MaxSuccessesPerAccountPerMinute)
        {
            return null;
        }
        return await database.KeyTimeToLiveAsync(SuccessKey(emailKey)) ?? TimeSpan.FromMinutes(1);
    }

    /// <summary>
    /// The account's lock, for sign-ins that need no password (a passkey): its ceiling of consecutive failures, which
    /// nothing bypasses, or its correct sign-ins for this minute used up. Non-null: refuse for this long.
    /// </summary>
    public async Task<TimeSpan?> AccountLockedAsync(string emailKey)
    {
        var database = redis.GetDatabase();
        var failures = (long?)await database.StringGetAsync(AccountKey(emailKey)) ?? 0;
        if (failures >= _options.MaxConsecutiveFailuresPerAccount)
        {
            return await database.KeyTimeToLiveAsync(AccountKey(emailKey)) ?? _options.HardStop;
        }
        return await SuccessesExhaustedAsync(emailKey);
    }

    /// <summary>Counts a correct sign-in; non-null when it is one too many this minute.</summary>
    public async Task<TimeSpan?> CountSuccessAsync(string emailKey)
    {
        var wait = (long)await redis.GetDatabase().ScriptEvaluateAsync(CountSuccessScript, [SuccessKey(emailKey)],
            [_options.MaxSuccessesPerAccountPerMinute, (long)TimeSpan.FromMinutes(1).TotalMilliseconds]);
        return wait > 0 ? TimeSpan.FromMilliseconds(wait) : null;
    }

    /// <summary>
    /// Access-key secrets: counted per client network only. Key ids are not secret, so a per-key lock would let
    /// anyone disable a key; the 256-bit secret cannot be guessed anyway.
    /// </summary>
    public Task<TimeSpan?> TakeKeySecretAttemptAsync(string network) =>
        TakeAsync([new(NetworkKey("access-key", network), _options.MaxFailuresPerNetwork, _options.Window, Sliding: false)]);

    public Task ForgiveKeySecretAttemptAsync(string network) => GiveBackAsync([NetworkKey("access-key", network)]);

    private IEnumerable<Counter> PasswordCounters(string emailKey, string network, bool knownDevice)
    {
        yield return new(AccountKey(emailKey), _options.MaxConsecutiveFailuresPerAccount, _options.HardStop, Sliding: true);
        yield return new(NetworkKey("signin", network), _options.MaxFailuresPerNetwork, _options.Window, Sliding: false);
        if (!knownDevice)
        {
            yield return new(AccountAndNetworkKey(emailKey, network), _options.MaxFailuresPerAccountAndNetwork, _options.Window, Sliding: false);
        }
    }

    private async Task<TimeSpan?> TakeAsync(IReadOnlyList<Counter> counters)
    {
        var arguments = counters.SelectMany(c => new RedisValue[] { c.Limit, (long)c.Window.TotalMilliseconds, c.Sliding ? "1" : "0" }).ToArray();
        var wait = (long)await redis.GetDatabase().ScriptEvaluateAsync(TakeScript, [.. counters.Select(c => c.Key)], arguments);
        return wait > 0 ? TimeSpan.FromMilliseconds(wait) : null;
    }

    private async Task GiveBackAsync(RedisKey[] keys) => await redis.GetDatabase().ScriptEvaluateAsync(GiveBackScript, keys);

    private static RedisKey AccountKey(string emailKey) => $"account:signin-failures:{OpaqueToken.Hash(emailKey)}";

    private static RedisKey AccountAndNetworkKey(string emailKey, string network) =>
        $"account:signin-failures:{OpaqueToken.Hash(emailKey)}:net:{network}";

    private static RedisKey NetworkKey(string kind, string network) => $"account:{kind}-failures-net:{network}";

    private static RedisKey SuccessKey(string emailKey) => $"account:signin-successes:{OpaqueToken.Hash(emailKey)}";

    private sealed record Counter(RedisKey Key, int Limit, TimeSpan Window, bool Sliding);
}
