using AuthPlatform.Testing;

namespace AuthPlatform.Notification.Tests;

// The outage tests (DeliveryOutageTests) run the whole platform; the other tests here need no servers.
[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<NotificationPlatform>
{
    public const string Name = "platform";
}

/// <summary>
/// The platform the outage tests run against: the per-client limits lifted, and the worker's retries and postponements
/// shortened so outages "longer than the retries" and "longer than everything" fit in a test.
/// </summary>
public sealed class NotificationPlatform : PlatformFixture
{
    /// <summary>The holding queue's wait in these tests (the default schedule starts at a minute).</summary>
    public static readonly TimeSpan PostponeDelay = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long after its first postponement a message is given up on in these tests (default 24 h). Long enough that
    /// MailDev, restarted on a loaded machine (seen: over 20 s), is back before an outage "longer than the retries" ends
    /// in the error queue.
    /// </summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(40);

    protected override int MfaReplicas => 1;

    protected override IReadOnlyDictionary<string, string?> ServiceSettings { get; } = new Dictionary<string, string?>(LiftedPerClientLimits)
    {
        // The worker's own retries take about 1.5 s here instead of 2 minutes, and the whole budget 40 s instead
        // of a day.
        ["Notification__Retry__Count"] = "2",
        ["Notification__Retry__MinInterval"] = "00:00:00.5",
        ["Notification__Retry__MaxInterval"] = "00:00:01",
        ["Notification__Retry__IntervalDelta"] = "00:00:00.5",
        ["Notification__Postponement__Delays__0"] = PostponeDelay.ToString("c"),
        ["Notification__Postponement__GiveUpAfter"] = GiveUpAfter.ToString("c"),
    };
}
