namespace AuthPlatform.Notification.Delivery;

/// <summary>
/// Settings under <c>Notification:Postponement:</c>. When the in-worker retries (<see cref="DeliveryRetryOptions"/>)
/// are spent on a failure that may pass (SMTP or Twilio down, throttled), the message waits in a holding queue and
/// comes back to its queue later, again and again, until <see cref="GiveUpAfter"/> has passed since the first
/// postponement. Only then does it go to the <c>_error</c> queue. An outage of hours loses no email.
/// </summary>
public sealed class PostponementOptions
{
    public const string SectionName = "Notification:Postponement";

    /// <summary>The waits before each return, in order; the last one repeats. Whole milliseconds, at least 1 s.</summary>
    public TimeSpan[]? Delays { get; set; }

    /// <summary>
    /// How long after the first postponement a message is given up on. Zero turns postponement off (the message
    /// goes to <c>_error</c> when the retries are spent). At most 6 days: the delivery ledger remembers sent
    /// messages for 7, and a message coming back after that could be sent twice.
    /// </summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);

    public static readonly TimeSpan MaxGiveUpAfter = TimeSpan.FromDays(6);

    private static readonly TimeSpan[] DefaultDelays =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30)];

    public IReadOnlyList<TimeSpan> Schedule => Delays is { Length: > 0 } ? Delays : DefaultDelays;

    /// <summary>The wait before return number <paramref name="round"/> (0 for the first postponement).</summary>
    public TimeSpan DelayBefore(int round) => Schedule[Math.Clamp(round, 0, Schedule.Count - 1)];

    public bool IsValid() =>
        GiveUpAfter >= TimeSpan.Zero && GiveUpAfter <= MaxGiveUpAfter
        && Schedule.All(d => d >= TimeSpan.FromSeconds(1) && d <= TimeSpan.FromDays(1) && d.Ticks % TimeSpan.TicksPerMillisecond == 0);
}
