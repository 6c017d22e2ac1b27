namespace AuthPlatform.Account.Throttling;

/// <summary>Password-guessing and sign-in limits (section <c>SignIn</c>); every per-client count is by client network.</summary>
public sealed class SignInThrottleOptions
{
    public const string Section = "SignIn";

    /// <summary>Failures for one account from one client network within <see cref="Window"/>; a known device is exempt.</summary>
    public int MaxFailuresPerAccountAndNetwork { get; set; } = 10;

    /// <summary>High on purpose: an office behind one NAT shares the address (docs/api.md, Sign-in throttling: at least 100).</summary>
    public int MaxFailuresPerNetwork { get; set; } = 100;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Consecutive failures for one account from anywhere before a hard stop (NIST SP 800-63B §5.2.2: at most 100).</summary>
    public int MaxConsecutiveFailuresPerAccount { get; set; } = 100;

    /// <summary>How long the hard stop lasts after the last failure; nothing bypasses it, not even a known device.</summary>
    public TimeSpan HardStop { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Correct sign-ins per account per minute: each costs a full password hash.</summary>
    public int MaxSuccessesPerAccountPerMinute { get; set; } = 10;

    /// <summary>How long a device token keeps a device known.</summary>
    public TimeSpan DeviceTokenLifetime { get; set; } = TimeSpan.FromDays(180);
}
