using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Account.Throttling;

/// <summary>
/// A device as its device token describes it: an id of its own, when the account first signed in on it, and the
/// secret of its remembered-device record when its owner ticked "Remember this device" (docs/api.md, Remembered
/// devices). <see cref="IsNew"/>: no token for this account came with the sign-in.
/// </summary>
public sealed record KnownDevice(Guid Id, DateTimeOffset FirstSeenAt, string? RememberSecret = null, bool IsNew = false);

/// <summary>A device token and until when it keeps the device known (the API says so, so clients keep it as long).</summary>
public sealed record IssuedDeviceToken(string Value, DateTimeOffset ExpiresAt);

/// <summary>
/// Device tokens: handed to a client after a correct password, sent back at the next sign-in. A device that holds
/// one for the account has proven the password before, so guesses from elsewhere (the per-(account, network) lock)
/// do not shut it out; the same token names the device for "remember this device". Sealed with Data Protection and
/// bound to the account; anything else is simply not known.
/// </summary>
public sealed class KnownDevices(IDataProtectionProvider protection, IOptions<SignInThrottleOptions> options, TimeProvider time)
{
    public const int MaxTokenLength = 1024;

    private readonly ITimeLimitedDataProtector _protector =
        protection.CreateProtector("AuthPlatform.Account.KnownDevice.v1").ToTimeLimitedDataProtector();

    /// <summary>A device seen for the first time now.</summary>
    public KnownDevice New() => new(Guid.CreateVersion7(), time.GetUtcNow(), IsNew: true);

    public IssuedDeviceToken Issue(Guid accountId, KnownDevice device)
    {
        var expiresAt = time.GetUtcNow() + options.Value.DeviceTokenLifetime;
        var payload = JsonSerializer.Serialize(new Payload(accountId, device.Id, device.FirstSeenAt.ToUnixTimeSeconds(), device.RememberSecret));
        return new(_protector.Protect(payload, expiresAt), expiresAt);
    }

    /// <summary>The device the token names, when it is a live token of this account; null otherwise.</summary>
    public KnownDevice? Read(string? deviceToken, Guid accountId)
    {
        if (string.IsNullOrEmpty(deviceToken) || deviceToken.Length > MaxTokenLength)
        {
            return null;
        }
        try
        {
            var payload = _protector.Unprotect(deviceToken, out var expiration);
            if (expiration <= time.GetUtcNow())
            {
                return null;
            }
            if (!payload.StartsWith('{'))
            {
                // A token from before devices had ids (just the account id): known, and named from now on.
                return payload == accountId.ToString("N") ? new(Guid.CreateVersion7(), time.GetUtcNow()) : null;
            }
            var read = JsonSerializer.Deserialize<Payload>(payload);
            return read is not null && read.A == accountId
                ? new(read.D, DateTimeOffset.FromUnixTimeSeconds(read.F), read.S)
                : null;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or JsonException)
        {
            return null;
        }
    }

    // Short names: the token travels in a cookie.
    private sealed record Payload(Guid A, Guid D, long F, string? S);
}
