namespace AuthPlatform.Mfa.Tests;

/// <summary>The platform Mfa.Tests runs against: the per-client limits lifted, and verification's SMS lifetime changed.</summary>
public sealed class MfaPlatform : PlatformFixture
{
    /// <summary>
    /// Not verification's default (180 s), so SmsFlowTests shows that mfa's answer and the text relay the setting.
    /// No test here waits for a code to expire.
    /// </summary>
    public static readonly TimeSpan SmsCodeLifetime = TimeSpan.FromMinutes(4);

    protected override IReadOnlyDictionary<string, string?> ServiceSettings { get; } = new Dictionary<string, string?>(LiftedPerClientLimits)
    {
        // ReplayAndRaceTests takes dozens of password steps for one account to race their second steps.
        ["SignIn__MaxSuccessesPerAccountPerMinute"] = "1000",
        ["Sms__Lifetime"] = SmsCodeLifetime.ToString("c"),
    };
}
