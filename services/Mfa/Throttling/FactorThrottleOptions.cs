namespace AuthPlatform.Mfa.Throttling;

/// <summary>Wrong-code limits per account and factor (<c>Mfa__Throttle__*</c>).</summary>
public sealed class FactorThrottleOptions
{
    public const string Section = "Mfa:Throttle";

    public int MaxWrongCodes { get; set; } = 5;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The first lock; each further lock within a day doubles it, up to <see cref="MaxLock"/>.</summary>
    public TimeSpan FirstLock { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan MaxLock { get; set; } = TimeSpan.FromHours(24);

    public int AlertAfterConsecutiveFailures { get; set; } = 20;

    public bool IsValid() => MaxWrongCodes > 0 && Window > TimeSpan.Zero && FirstLock > TimeSpan.Zero && MaxLock >= FirstLock
        && AlertAfterConsecutiveFailures > 0;
}
