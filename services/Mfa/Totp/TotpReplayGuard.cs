using AuthPlatform.Mfa.Infrastructure;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace AuthPlatform.Mfa.Totp;

/// <summary>
/// Accepts each TOTP time step at most once per account, across every replica: a step is accepted only if it is
/// later than the last accepted one (ASVS 2.8.4; ASP.NET Identity #14423). Redis decides first, atomically; the
/// step is then recorded in mfadb under the same rule, so a Redis that lost its data cannot re-admit a spent step.
/// </summary>
public sealed partial class TotpReplayGuard(IConnectionMultiplexer redis, MfaDbContext db, MfaMetrics metrics, ILogger<TotpReplayGuard> logger)
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

    public async Task<bool> TryClaimAsync(Guid accountId, long step, CancellationToken cancellationToken)
    {
        var claimed = (long)await redis.GetDatabase().ScriptEvaluateAsync(ClaimScript,
            [$"mfa:totp:last-step:{accountId}"], [step, (long)Remember.TotalMilliseconds]) == 1;
        if (claimed && !await TryRaiseFloorAsync(accountId, step, cancellationToken))
        {
            claimed = false;
            LogReplayCaughtByFloor(step, accountId);
        }
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

    // One statement: concurrent claims of one step on two replicas cannot both raise it.
    private async Task<bool> TryRaiseFloorAsync(Guid accountId, long step, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO totp_step_floors ("AccountId", "LastStep") VALUES ({accountId}, {step})
            ON CONFLICT ("AccountId") DO UPDATE SET "LastStep" = excluded."LastStep"
            WHERE totp_step_floors."LastStep" < excluded."LastStep"
            """, cancellationToken) == 1;

    [LoggerMessage(LogLevel.Warning, "Rejected a reused TOTP time step {Step} for account {AccountId}")]
    private partial void LogReplayRejected(long step, Guid accountId);

    [LoggerMessage(LogLevel.Warning, "Redis had no record of TOTP time step {Step} for account {AccountId}, but mfadb had it as spent; has Redis lost its data?")]
    private partial void LogReplayCaughtByFloor(long step, Guid accountId);
}
