using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Account.Throttling;

/// <summary>
/// Device tokens: handed to a client after a correct password, sent back at the next sign-in. A device that holds
/// one for the account has proven the password before, so guesses from elsewhere (the per-(account, network) lock)
/// do not shut it out. Sealed with Data Protection and bound to the account; anything else is simply not known.
/// </summary>
public sealed class KnownDevices(IDataProtectionProvider protection, IOptions<SignInThrottleOptions> options, TimeProvider time)
{
    public const int MaxTokenLength = 1024;

    private readonly ITimeLimitedDataProtector _protector =
        protection.CreateProtector("AuthPlatform.Account.KnownDevice.v1").ToTimeLimitedDataProtector();

    public string Issue(Guid accountId) =>
        _protector.Protect(accountId.ToString("N"), time.GetUtcNow() + options.Value.DeviceTokenLifetime);

    public bool IsKnown(string? deviceToken, Guid accountId)
    {
        if (string.IsNullOrEmpty(deviceToken) || deviceToken.Length > MaxTokenLength)
        {
            return false;
        }
        try
        {
            return _protector.Unprotect(deviceToken, out var expiration) == accountId.ToString("N") && expiration > time.GetUtcNow();
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            return false;
        }
    }
}
