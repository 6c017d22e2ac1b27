using StackExchange.Redis;

namespace AuthPlatform.Mfa.Totp;

/// <summary>
/// Accepts each TOTP time step at most once per account, across every replica: a step is accepted only if it is
/// later than the last accepted one, decided atomically in Redis (ASVS 2.8.4; ASP.NET Identity #14423).
/// </summary>
public sealed partial class TotpReplayGuard(IConnectionMultiplexer redis, MfaMetrics metrics, ILogger<TotpReplayGuard> logger)
{
    // Long enough to outlive the ±1-step window; after that an old step no longer verifies anyway.
    private static readonly TimeSpan Remember = TimeSpan.FromMinutes(10);

    /// <summary>At most one "your code was replayed" email per account in this interval.</summary>
    public static readonly TimeSpan AlertInterval = TimeSpan.FromHours(1);

    private const string ClaimScript = """
        local last = redis.call('GET', KEYS[1])
        if last and tonumber(last) >= tonumber(ARGV[1]) then return 0 end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        return 1
        """;

    public async Task<bool> TryClaimAsync(Guid accountId, long step)
    {
        var claimed = (long)await redis.GetDatabase().ScriptEvaluateAsync(ClaimScript,
            [$"mfa:totp:last-step:{accountId}"], [step, (long)Remember.TotalMilliseconds]) == 1;
        if (!claimed)
        {
            metrics.ReplayRejected();
            LogReplayRejected(step, accountId);
        }
        return claimed;
    }

    /// <summary>True at most once per <see cref="AlertInterval"/> for an account, across every replica.</summary>
    public Task<bool> TryStartAlertAsync(Guid accountId) =>
        redis.GetDatabase().StringSetAsync($"mfa:totp:replay-alert:{accountId}", "1", AlertInterval, When.NotExists);

    [LoggerMessage(LogLevel.Warning, "Rejected a reused TOTP time step {Step} for account {AccountId}")]
    private partial void LogReplayRejected(long step, Guid accountId);
}
