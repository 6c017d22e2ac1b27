using OtpNet;

namespace AuthPlatform.Mfa.Totp;

/// <summary>RFC 6238 with SHA-1, 6 digits, 30-second steps, accepting the current step and one on either side.</summary>
public sealed class TotpVerifier(TimeProvider time)
{
    public const int StepSeconds = 30;
    private static readonly VerificationWindow OneStepEitherSide = new(previous: 1, future: 1);

    /// <summary>The time step the code belongs to, or null when it matches none in the window.</summary>
    public long? MatchStep(byte[] secret, string normalizedCode)
    {
        var totp = new OtpNet.Totp(secret, StepSeconds, OtpHashMode.Sha1, TotpCode.Digits);
        return totp.VerifyTotp(time.GetUtcNow().UtcDateTime, normalizedCode, out var step, OneStepEitherSide) ? step : null;
    }

    public string CodeAt(byte[] secret, DateTimeOffset at) => Compute(secret, at, OtpHashMode.Sha1, TotpCode.Digits);

    /// <summary>RFC 6238 for any of its hash functions and lengths (the appendix B vectors use 8 digits).</summary>
    public static string Compute(byte[] secret, DateTimeOffset at, OtpHashMode hash, int digits) =>
        new OtpNet.Totp(secret, StepSeconds, hash, digits).ComputeTotp(at.UtcDateTime);

    public static long StepAt(DateTimeOffset at) => at.ToUnixTimeSeconds() / StepSeconds;
}
