using System.Security.Cryptography;
using AuthPlatform.Web;
using MassTransit;
using StackExchange.Redis;

namespace AuthPlatform.Verification.Sms;

public enum SendOutcome { Sent, Cooldown, Limited }

/// <param name="CodeLifetime">When sent: how long the code works (<see cref="SmsCodeOptions.Lifetime"/>).</param>
public sealed record SendResult(SendOutcome Outcome, TimeSpan? RetryAfter = null, string? Reason = null, TimeSpan? CodeLifetime = null);

/// <summary>
/// One-time SMS codes: 6 digits from a CSPRNG, bound to purpose + account + number, stored in Redis only as a
/// salted SHA-256 with a TTL of <see cref="SmsCodeOptions.Lifetime"/>, a few attempts, single use. Sending is guarded by a 30 s resend
/// cooldown and by per-number, per-prefix, per-IP, per-account and global daily limits (SMS pumping).
/// Each purpose has budgets of its own: enrolments (anyone can type anyone's number) never use up the sign-in codes
/// of a number already enrolled. Enrolment is also held to a few distinct numbers per account per day, and stops
/// first when the global cap comes near; sign-in codes go on until the full cap.
/// </summary>
public sealed partial class SmsCodes(IConnectionMultiplexer redis, IPublishEndpoint bus, SmsCodeOptions options, TimeProvider time, VerificationMetrics metrics, ILogger<SmsCodes> logger)
{
    // Counts one more attempt atomically; a code past its attempts is deleted on the spot.
    private const string AttemptScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
        local attempts = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
        if attempts > tonumber(ARGV[1]) then redis.call('DEL', KEYS[1]) return {'dead'} end
        return redis.call('HMGET', KEYS[1], 'hash', 'salt', 'issued')
        """;

    // Spends the code only if it is still the same one: of two right answers racing, one wins.
    private const string SpendScript = """
        if redis.call('HGET', KEYS[1], 'hash') == ARGV[1] then redis.call('DEL', KEYS[1]) return 1 end
        return 0
        """;

    // Takes one unit from each counter (KEYS[1..n], ARGV limit/window pairs), all or nothing. With one more key, that
    // key is a set of distinct numbers (ARGV: limit, window, number) that the number joins unless it is full.
    // Returns {index of the first exhausted limit (1-based) or 0, its PTTL, the first counter's new value}.
    private const string LimitsScript = """
        local n = #KEYS
        local set = nil
        if #ARGV > n * 2 then set = n; n = n - 1 end
        for i = 1, n do
          local used = tonumber(redis.call('GET', KEYS[i]) or '0')
          if used >= tonumber(ARGV[i * 2 - 1]) then return {i, redis.call('PTTL', KEYS[i]), used} end
        end
        if set and redis.call('SISMEMBER', KEYS[set], ARGV[set * 2 + 1]) == 0
           and redis.call('SCARD', KEYS[set]) >= tonumber(ARGV[set * 2 - 1]) then
          return {set, redis.call('PTTL', KEYS[set]), 0}
        end
        local first = 0
        for i = 1, n do
          local count = redis.call('INCR', KEYS[i])
          if i == 1 then first = count end
          if count == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[i * 2]) end
        end
        if set and redis.call('SADD', KEYS[set], ARGV[set * 2 + 1]) == 1 and redis.call('SCARD', KEYS[set]) == 1 then
          redis.call('PEXPIRE', KEYS[set], ARGV[set * 2])
        end
        return {0, 0, first}
        """;

    public const string GlobalCapName = "global daily cap";
    public const string EnrolmentCapName = "global daily cap for enrolments";
    public const string DistinctNumbersName = "numbers per account per day";

    // Keyed by the number too: two setups started at once for one account (two tabs) leave one number pending in MFA,
    // and that number's code must still be the one that works, whichever send finished last.
    public static string CodeKey(string purpose, Guid accountId, string phoneNumber) => $"verification:sms:{purpose}:{accountId}:{phoneNumber}";

    public async Task<SendResult> SendAsync(string purpose, Guid accountId, string phoneNumber, string? clientAddress, CancellationToken cancellationToken)
    {
        var database = redis.GetDatabase();
        // Per number too: an enrolment that moves to another number is not a resend (the distinct-number limit bounds those).
        var cooldownKey = $"verification:sms-cooldown:{purpose}:{accountId}:{phoneNumber}";
        if (!await database.StringSetAsync(cooldownKey, "1", options.ResendCooldown, When.NotExists))
        {
            var wait = await database.KeyTimeToLiveAsync(cooldownKey) ?? options.ResendCooldown;
            return new SendResult(SendOutcome.Cooldown, wait);
        }

        var day = time.GetUtcNow().ToString("yyyyMMdd");
        var prefix = phoneNumber.Length > 8 ? phoneNumber[..^4] : phoneNumber;
        var enrolment = purpose == SmsCodePurpose.PhoneEnroll;
        var enrolmentCap = EnrolmentCap(options);
        // One global counter for every purpose; enrolment stops at its share of it, sign-in only at the full cap.
        // Every other counter is per purpose, so one purpose cannot spend another's budget.
        var limits = new List<(string Key, int Limit, TimeSpan Window, string Name)>
        {
            ($"verification:sms-limit:global:{day}", enrolment ? enrolmentCap : options.GlobalDailyCap, TimeSpan.FromDays(1),
                enrolment ? EnrolmentCapName : GlobalCapName),
            ($"verification:sms-limit:{purpose}:number:{phoneNumber}", options.PerNumberLimit, options.PerNumberWindow, "per-number limit"),
            ($"verification:sms-limit:{purpose}:prefix:{prefix}", options.PerPrefixLimit, options.PerPrefixWindow, "per-prefix limit"),
            ($"verification:sms-limit:{purpose}:account:{accountId}", options.PerAccountLimit, options.PerAccountWindow, "per-account limit"),
            ($"verification:sms-limit:{purpose}:ip:{ClientNetwork.Key(clientAddress)}", options.PerAddressLimit, options.PerAddressWindow, "per-IP limit"),
        };
        if (enrolment)
        {
            limits.Add(($"verification:sms-enrolled-numbers:{accountId}:{day}", options.EnrolmentNumbersPerAccountPerDay, TimeSpan.FromDays(1),
                DistinctNumbersName));
        }
        var result = (RedisResult[])(await database.ScriptEvaluateAsync(LimitsScript,
            [.. limits.Select(l => (RedisKey)l.Key)],
            [.. limits.SelectMany(l => new RedisValue[] { l.Limit, (long)l.Window.TotalMilliseconds }),
                .. enrolment ? new RedisValue[] { phoneNumber } : []]))!;
        var exhausted = (int)result[0];
        if (exhausted > 0)
        {
            var limit = limits[exhausted - 1];
            await database.KeyDeleteAsync(cooldownKey);
            metrics.SmsRefused(limit.Name);
            if (exhausted == 1 && !enrolment)
            {
                LogGlobalCapReached(limit.Limit);
            }
            else
            {
                LogRefused(limit.Name, accountId);
            }
            return new SendResult(SendOutcome.Limited, TimeSpan.FromMilliseconds(Math.Max(1000, (long)result[1])), limit.Name);
        }
        if ((long)result[2] == enrolmentCap && enrolmentCap < options.GlobalDailyCap)
        {
            // Exactly one send crosses the line, so operators are told once per day.
            metrics.SmsCapAlert();
            LogEnrolmentCapReached(enrolmentCap, options.GlobalDailyCap);
        }

        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6");
        var salt = OpaqueToken.New(16);
        var key = CodeKey(purpose, accountId, phoneNumber);
        var issuedAt = time.GetUtcNow();
        var transaction = database.CreateTransaction();
        _ = transaction.KeyDeleteAsync(key);
        _ = transaction.HashSetAsync(key,
        [
            new("hash", OpaqueToken.Hash(salt + code)), new("salt", salt), new("issued", issuedAt.ToUnixTimeMilliseconds()),
            new("attempts", 0),
        ]);
        _ = transaction.KeyExpireAsync(key, options.Lifetime);
        await transaction.ExecuteAsync();

        await EventBus.WithinConfirmDeadline(
            token => bus.Publish(new SendSmsCode(phoneNumber, code, purpose, issuedAt + options.Lifetime, options.Lifetime), token), cancellationToken);
        metrics.SmsCodeIssued(purpose);
        return new SendResult(SendOutcome.Sent, CodeLifetime: options.Lifetime);
    }

    /// <summary>The share of the global daily cap that enrolment codes may use (80 % by default).</summary>
    public static int EnrolmentCap(SmsCodeOptions options) =>
        (int)Math.Floor(options.GlobalDailyCap * Math.Clamp(options.EnrolmentShareOfGlobalCap, 0, 1));

    /// <summary>True once for the right code within its lifetime and attempts; the code is spent.</summary>
    public async Task<bool> VerifyAsync(string purpose, Guid accountId, string phoneNumber, string code)
    {
        var key = CodeKey(purpose, accountId, phoneNumber);
        var database = redis.GetDatabase();
        var result = await database.ScriptEvaluateAsync(AttemptScript, [key], [options.MaxAttempts]);
        if (result.IsNull)
        {
            return false;
        }
        var fields = (RedisValue[])result!;
        if (fields.Length == 1)
        {
            return false; // too many attempts: the code is dead
        }
        var (hash, salt, issued) = ((string)fields[0]!, (string)fields[1]!, (long)fields[2]);
        var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(issued);
        if (age > options.Lifetime)
        {
            return false;
        }
        if (!CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(OpaqueToken.Hash(salt + code)), System.Text.Encoding.ASCII.GetBytes(hash)))
        {
            return false;
        }
        return (long)await database.ScriptEvaluateAsync(SpendScript, [key], [hash]) == 1;
    }

    [LoggerMessage(LogLevel.Error, "SMS global daily cap of {Cap} reached: no more SMS codes are sent today")]
    private partial void LogGlobalCapReached(int cap);

    [LoggerMessage(LogLevel.Warning, "SMS refused by the {Limit} for account {AccountId}")]
    private partial void LogRefused(string limit, Guid accountId);

    [LoggerMessage(LogLevel.Error, "SMS global daily cap nearly reached ({Sent} of {Cap}): enrolment codes are refused for the rest of the day; sign-in codes continue")]
    private partial void LogEnrolmentCapReached(int sent, int cap);
}
