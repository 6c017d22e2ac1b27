namespace AuthPlatform.Verification.Sms;

/// <summary>SMS code rules (docs/api.md, Two-factor authentication) and the pumping / toll-fraud limits; every number is configurable (Sms__*).</summary>
public sealed class SmsCodeOptions
{
    public const string Section = "Sms";

    /// <summary>How long a code works. Said in the text and in mfa's answer, which both relay it from here.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromSeconds(180);

    public int MaxAttempts { get; set; } = 5;

    public TimeSpan ResendCooldown { get; set; } = TimeSpan.FromSeconds(30);

    public int PerNumberLimit { get; set; } = 3;

    public TimeSpan PerNumberWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The number minus its last four digits: stops sprays over a block of premium numbers.</summary>
    public int PerPrefixLimit { get; set; } = 10;

    public TimeSpan PerPrefixWindow { get; set; } = TimeSpan.FromMinutes(10);

    public int PerAddressLimit { get; set; } = 10;

    public TimeSpan PerAddressWindow { get; set; } = TimeSpan.FromHours(1);

    public int PerAccountLimit { get; set; } = 10;

    public TimeSpan PerAccountWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>All SMS of the platform per UTC day; when reached, sending stops and operators are told.</summary>
    public int GlobalDailyCap { get; set; } = 10_000;

    /// <summary>
    /// The share of <see cref="GlobalDailyCap"/> after which enrolment codes stop (and operators are alerted), so that
    /// sign-in codes to numbers already enrolled keep the rest.
    /// </summary>
    public double EnrolmentShareOfGlobalCap { get; set; } = 0.8;

    /// <summary>Distinct numbers one account may try to enrol per UTC day.</summary>
    public int EnrolmentNumbersPerAccountPerDay { get; set; } = 3;

    public bool IsValid() => Lifetime > TimeSpan.Zero && MaxAttempts > 0 && ResendCooldown >= TimeSpan.Zero
        && PerNumberLimit > 0 && PerNumberWindow > TimeSpan.Zero && PerPrefixLimit > 0 && PerPrefixWindow > TimeSpan.Zero
        && PerAddressLimit > 0 && PerAddressWindow > TimeSpan.Zero && PerAccountLimit > 0 && PerAccountWindow > TimeSpan.Zero
        && GlobalDailyCap > 0 && EnrolmentShareOfGlobalCap is >= 0 and <= 1 && EnrolmentNumbersPerAccountPerDay > 0;
}
