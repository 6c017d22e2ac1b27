using System.Buffers.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AuthPlatform.Mfa.Passkeys;

/// <summary>What a challenge was issued for: adding a passkey to an account, or signing in (for one account, or any).</summary>
public sealed record PasskeyChallenge(string Purpose, Guid? AccountId)
{
    public const string Registration = "registration";
    public const string Assertion = "assertion";
}

/// <summary>
/// WebAuthn challenges in Redis, shared by every replica: stored under their SHA-256 only (the value says what the
/// challenge is for, never the challenge), with the configured lifetime, and taken at most once.
/// </summary>
public sealed class PasskeyChallenges(IConnectionMultiplexer redis, IOptions<PasskeyOptions> options)
{
    public Task IssueAsync(byte[] challenge, PasskeyChallenge purpose) =>
        redis.GetDatabase().StringSetAsync(Key(challenge), JsonSerializer.Serialize(purpose), options.Value.ChallengeLifetime);

    /// <summary>The challenge's purpose for exactly one caller; null when unknown, expired or already taken.</summary>
    public async Task<PasskeyChallenge?> TakeAsync(byte[] challenge)
    {
        var value = await redis.GetDatabase().StringGetDeleteAsync(Key(challenge));
        return value.IsNullOrEmpty ? null : JsonSerializer.Deserialize<PasskeyChallenge>((string)value!);
    }

    /// <summary>The challenge the browser signed, from the credential's clientDataJSON; null when that is malformed.</summary>
    public static byte[]? ChallengeOf(JsonElement credential)
    {
        try
        {
            if (credential.ValueKind != JsonValueKind.Object
                || !credential.TryGetProperty("response", out var response) || response.ValueKind != JsonValueKind.Object
                || !response.TryGetProperty("clientDataJSON", out var encoded) || encoded.ValueKind != JsonValueKind.String)
            {
                return null;
            }
            using var clientData = JsonDocument.Parse(Base64Url.DecodeFromChars(encoded.GetString()));
            return clientData.RootElement.ValueKind == JsonValueKind.Object
                && clientData.RootElement.TryGetProperty("challenge", out var challenge) && challenge.ValueKind == JsonValueKind.String
                && Base64Url.DecodeFromChars(challenge.GetString()) is { Length: PasskeyOptions.ChallengeBytes } bytes
                    ? bytes
                    : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }

    private static RedisKey Key(byte[] challenge) => $"mfa:passkey-challenge:{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(challenge))}";
}
