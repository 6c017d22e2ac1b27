using System.Text.Json;
using System.Text.Json.Serialization;
using StackExchange.Redis;

namespace AuthPlatform.Verification.Tokens;

/// <summary>
/// Whom a link is for: a pending registration (email-verify) or an account (password-reset). Stored as "AccountId"
/// so that links mailed before registrations existed still redeem.
/// </summary>
/// <param name="RequestedAt">Password reset: when account asked for the link; account refuses it once the password changed after.</param>
public sealed record TokenSubject([property: JsonPropertyName("AccountId")] Guid SubjectId, string Email, DateTimeOffset? RequestedAt = null);

/// <summary>
/// Single-use link tokens (256 random bits) bound to a purpose. Redis holds only the SHA-256 of each token, with
/// the purpose's lifetime as its TTL; redeeming deletes it atomically, so a token works once.
/// </summary>
public sealed class VerificationTokens(IConnectionMultiplexer redis, VerificationTokenOptions options)
{
    // Reads, remembers the remaining TTL of, and deletes the token in one step.
    private const string TakeScript = """
        local value = redis.call('GET', KEYS[1])
        if not value then return nil end
        local ttl = redis.call('PTTL', KEYS[1])
        redis.call('DEL', KEYS[1])
        return {value, tostring(ttl)}
        """;

    public static string Key(string purpose, string token) => $"verification:token:{purpose}:{OpaqueToken.Hash(token)}";

    public TimeSpan LifetimeOf(string purpose) =>
        purpose == TokenPurpose.PasswordReset ? options.PasswordResetLifetime : options.EmailVerifyLifetime;

    public async Task<string> IssueAsync(string purpose, TokenSubject subject)
    {
        var token = OpaqueToken.New(32);
        await redis.GetDatabase().StringSetAsync(Key(purpose, token), JsonSerializer.Serialize(subject), LifetimeOf(purpose));
        return token;
    }

    /// <summary>Spends the token; null when it is unknown, expired or already used (one answer for all three).</summary>
    public async Task<SpentToken?> RedeemAsync(string purpose, string token)
    {
        if (!OpaqueToken.IsWellFormed(token))
        {
            return null;
        }
        var key = Key(purpose, token);
        var result = await redis.GetDatabase().ScriptEvaluateAsync(TakeScript, [key]);
        if (result.IsNull)
        {
            return null;
        }
        var parts = (RedisResult[])result!;
        var subject = JsonSerializer.Deserialize<TokenSubject>((string)parts[0]!)!;
        return new SpentToken(key, (string)parts[0]!, TimeSpan.FromMilliseconds(Math.Max(1, long.Parse((string)parts[1]!))), subject);
    }

    /// <summary>Puts a redeemed token back (its action could not be completed), for the time it had left.</summary>
    public Task RestoreAsync(SpentToken redeemed) =>
        redis.GetDatabase().StringSetAsync(redeemed.Key, redeemed.Value, redeemed.RemainingLifetime);

    /// <summary>True at most once per cooldown for an address: at most one resend email per address per minute.</summary>
    public Task<bool> TryStartResendCooldownAsync(string emailKey) =>
        redis.GetDatabase().StringSetAsync($"verification:resend:{OpaqueToken.Hash(emailKey)}", "1", options.ResendCooldown, When.NotExists);

    // Starts the cooldown, or finds it started by this same message (a redelivery after a failed publish).
    private const string CooldownScript = """
        if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return 1 end
        if redis.call('GET', KEYS[1]) == ARGV[1] then return 1 end
        return 0
        """;

    /// <summary>
    /// True at most once per <see cref="VerificationTokenOptions.PasswordResetCooldown"/> for an address (and again
    /// for redeliveries of the message that started it): at most one reset email per address per interval.
    /// </summary>
    public async Task<bool> TryStartPasswordResetCooldownAsync(string emailKey, Guid? messageId) =>
        (long)await redis.GetDatabase().ScriptEvaluateAsync(CooldownScript,
            [$"verification:reset-cooldown:{OpaqueToken.Hash(emailKey)}"],
            [(messageId ?? Guid.NewGuid()).ToString("N"), Math.Max(1, (long)options.PasswordResetCooldown.TotalMilliseconds)]) == 1;
}

public sealed record SpentToken(string Key, string Value, TimeSpan RemainingLifetime, TokenSubject Subject);
