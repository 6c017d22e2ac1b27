using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace AuthPlatform.Notification.Diagnostics;

/// <summary>The worker's own instruments (meter <c>AuthPlatform.Notification</c>, exported by ServiceDefaults).</summary>
public sealed class NotificationMetrics
{
    public const string MeterName = "AuthPlatform.Notification";

    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _sendDuration;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _smtpTlsUnavailable;
    private readonly Counter<long> _smtpConnections;
    private readonly ConcurrentDictionary<string, long> _queueDepths = new();

    public NotificationMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _deliveries = meter.CreateCounter<long>(
            "authplatform.notification.deliveries",
            unit: "{delivery}",
            description: "Messages handled, by channel (email, sms) and final outcome: sent, failed (given up: it went to the error queue), duplicate (already sent, skipped) or expired (an SMS code that expired before it could be sent).");
        _sendDuration = meter.CreateHistogram<double>(
            "authplatform.notification.send.duration",
            unit: "s",
            description: "Time to hand one message to the provider, per delivery attempt: SMTP connect (or a kept connection's NOOP) and send; or the Twilio requests, with the sender's own retries.",
            tags: null,
            // The default buckets suit milliseconds; an SMTP exchange takes tens of ms up to the 15 s timeout.
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60] });
        _retries = meter.CreateCounter<long>(
            "authplatform.notification.send.retries",
            unit: "{retry}",
            description: "Provider requests repeated after a transient failure, by channel and reason: throttled (429), server_error (5xx, 408) or network, inside the sender; redelivery, by the bus inside the worker; postponed, when the worker's retries were spent and the message went to a holding queue to come back later.");
        _smtpTlsUnavailable = meter.CreateCounter<long>(
            "authplatform.notification.smtp.tls_unavailable",
            unit: "{attempt}",
            description: "Emails not sent because the SMTP server offered no STARTTLS while TLS is required (credentials configured or a non-loopback host). Any value means the mail server or its connection string needs fixing.");
        _smtpConnections = meter.CreateCounter<long>(
            "authplatform.notification.smtp.connections",
            unit: "{email}",
            description: "Emails handed to the SMTP server, by the connection that carried them: new (opened for it) or reused (kept open from an earlier email). Mostly new under steady traffic means the server closes idle connections sooner than Email:SmtpConnectionIdleLimit.");
        meter.CreateObservableGauge(
            "authplatform.notification.queue.depth",
            () => _queueDepths.Select(q => new Measurement<long>(q.Value, new KeyValuePair<string, object?>("queue", q.Key))),
            unit: "{message}",
            description: "Messages waiting in each queue the worker consumes, and in its _error queue (given up on), as the broker last counted them. A queue that keeps growing means the workers fall behind: add replicas or look at the provider.");
    }

    public void QueueDepth(string queue, uint messages) => _queueDepths[queue] = messages;

    public void SmtpTlsUnavailable() => _smtpTlsUnavailable.Add(1);

    public void SmtpConnectionUsed(string connection) => _smtpConnections.Add(1, new KeyValuePair<string, object?>("connection", connection));

    public void Delivered(string channel, string outcome) =>
        _deliveries.Add(1, new KeyValuePair<string, object?>("channel", channel), new KeyValuePair<string, object?>("outcome", outcome));

    public void SendTook(string channel, string outcome, TimeSpan elapsed) =>
        _sendDuration.Record(elapsed.TotalSeconds,
            new KeyValuePair<string, object?>("channel", channel), new KeyValuePair<string, object?>("outcome", outcome));

    public void Retried(string channel, string reason) =>
        _retries.Add(1, new KeyValuePair<string, object?>("channel", channel), new KeyValuePair<string, object?>("reason", reason));
}

/// <summary>Values of the <c>channel</c> and <c>outcome</c> tags.</summary>
public static class DeliveryTags
{
    public const string Email = "email";
    public const string Sms = "sms";

    public const string Sent = "sent";
    public const string Failed = "failed";
    public const string Duplicate = "duplicate";
    public const string Expired = "expired";

    /// <summary>Retry reason: the message went to a holding queue to come back later.</summary>
    public const string Postponed = "postponed";
}

/// <summary>Values of the <c>connection</c> tag of <c>authplatform.notification.smtp.connections</c>.</summary>
public static class SmtpConnectionTags
{
    public const string New = "new";
    public const string Reused = "reused";
}
