using System.Text.Json;
using StackExchange.Redis;

namespace AuthPlatform.Account.Tokens;

/// <param name="PasswordCheckedAt">When the first step began: the session's proof time once the second step succeeds.</param>
/// <param name="FirstFactor">The session's first <c>amr</c> entry: "pwd", or the external provider ("google") that signed the person in.</param>
/// <param name="DeviceId">The device the first step came from (its device token), for "remember this device"; null after Google.</param>
/// <param name="NewDevice">The first step came with no device token of this account: the owner hears of the sign-in.</param>
public sealed record MfaChallenge(Guid AccountId, string Methods, DateTimeOffset? PasswordCheckedAt = null, string? FirstFactor = null,
    Guid? DeviceId = null, DateTimeOffset? DeviceFirstSeenAt = null, bool NewDevice = false)
{
    public const string Password = "pwd";
}

/// <summary>
/// The mfaToken between the password step and the second step: 256 random bits, 5 minutes, bound to the account,
/// stored hashed in Redis and spent when the second step succeeds.
/// </summary>
public sealed class MfaChallenges(IConnectionMultiplexer redis)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public async Task<string> IssueAsync(Guid accountId, IReadOnlyList<string> methods, DateTimeOffset passwordCheckedAt,
        string firstFactor = MfaChallenge.Password, Throttling.KnownDevice? device = null)
    {
        var token = OpaqueToken.New(32);
        var challenge = new MfaChallenge(accountId, string.Join(' ', methods), passwordCheckedAt, firstFactor,
            device?.Id, device?.FirstSeenAt, device?.IsNew ?? false);
        await redis.GetDatabase().StringSetAsync(Key(token), JsonSerializer.Serialize(challenge), Lifetime);
        return token;
    }

    public async Task<MfaChallenge?> FindAsync(string token)
    {
        var value = await redis.GetDatabase().StringGetAsync(Key(token));
        return value.IsNullOrEmpty ? null : JsonSerializer.Deserialize<MfaChallenge>((string)value!);
    }

    /// <summary>True for exactly one caller: the one whose second step completes the sign-in.</summary>
    public async Task<bool> TrySpendAsync(string token) => !(await redis.GetDatabase().StringGetDeleteAsync(Key(token))).IsNullOrEmpty;

    private static RedisKey Key(string token) => $"account:mfa-challenge:{OpaqueToken.Hash(token)}";
}
