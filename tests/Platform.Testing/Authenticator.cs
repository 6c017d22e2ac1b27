using OtpNet;

namespace AuthPlatform.Testing;

/// <summary>
/// A phone's authenticator app (RFC 6238: SHA-1, 6 digits, 30 s): computes the code of the current step, never
/// reusing a step, as an app would after a code was just used (the platform accepts each step once).
/// </summary>
public sealed class Authenticator(string base32Secret)
{
    public const int StepSeconds = 30;

    private readonly Totp _totp = new(Base32Encoding.ToBytes(base32Secret), StepSeconds, OtpHashMode.Sha1, 6);
    private long _lastStep = long.MinValue;

    /// <summary>An app that scanned an <c>otpauth://totp/…?secret=…</c> URI (from a QR code).</summary>
    public static Authenticator FromOtpauthUri(string otpauthUri)
    {
        var uri = new Uri(otpauthUri);
        var secret = uri.Scheme == "otpauth" && uri.Host == "totp"
            ? uri.Query.TrimStart('?').Split('&').Select(pair => pair.Split('=', 2)).FirstOrDefault(pair => pair[0] == "secret")?[1]
            : null;
        return secret is { Length: > 0 }
            ? new Authenticator(Uri.UnescapeDataString(secret))
            : throw new InvalidOperationException($"Not an otpauth://totp URI with a secret: {otpauthUri}");
    }

    public static long StepAt(DateTimeOffset time) => time.ToUnixTimeSeconds() / StepSeconds;

    public string CodeForStep(long step) => _totp.ComputeTotp(DateTimeOffset.FromUnixTimeSeconds(step * StepSeconds).UtcDateTime);

    /// <summary>The code for the earliest step after the last one used that the server still accepts (waits if needed).</summary>
    public async Task<string> NextCodeAsync()
    {
        while (true)
        {
            var current = StepAt(DateTimeOffset.UtcNow);
            var step = Math.Max(current, _lastStep + 1);
            if (step <= current + 1)
            {
                _lastStep = step;
                return CodeForStep(step);
            }
            await Task.Delay(500);
        }
    }

    public long LastStep => _lastStep;

    /// <summary>Steps up to <paramref name="step"/> count as used (the account accepted them with another app: one step per account).</summary>
    public void SkipThrough(long step) => _lastStep = Math.Max(_lastStep, step);
}
