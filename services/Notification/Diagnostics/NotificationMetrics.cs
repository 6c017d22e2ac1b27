using System.Diagnostics.Metrics;

namespace AuthPlatform.Notification.Diagnostics;

/// <summary>The worker's own instruments (meter <c>AuthPlatform.Notification</c>, exported by ServiceDefaults).</summary>
public sealed class NotificationMetrics
{
    public const string MeterName = "AuthPlatform.Notification";

    private readonly Counter<long> deliveries;
    private readonly Histogram<double> sendDuration;

    public NotificationMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        deliveries = meter.CreateCounter<long>(
            "authplatform.notification.deliveries",
            unit: "{delivery}",
            description: "Messages handled, by channel and final outcome: sent, failed (given up: it went to the error queue) or duplicate (already sent, skipped).");
        sendDuration = meter.CreateHistogram<double>(
            "authplatform.notification.send.duration",
            unit: "s",
            description: "Time to hand one message to the provider (SMTP connect, send, quit), per attempt.",
            tags: null,
            // The default buckets suit milliseconds; an SMTP exchange takes tens of ms up to the 15 s timeout.
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60] });
    }

    public void Delivered(string channel, string outcome) =>
        deliveries.Add(1, new KeyValuePair<string, object?>("channel", channel), new KeyValuePair<string, object?>("outcome", outcome));

    public void SendTook(string channel, string outcome, TimeSpan elapsed) =>
        sendDuration.Record(elapsed.TotalSeconds,
            new KeyValuePair<string, object?>("channel", channel), new KeyValuePair<string, object?>("outcome", outcome));
}

/// <summary>Values of the <c>channel</c> and <c>outcome</c> tags.</summary>
public static class DeliveryTags
{
    public const string Email = "email";

    public const string Sent = "sent";
    public const string Failed = "failed";
    public const string Duplicate = "duplicate";
}
