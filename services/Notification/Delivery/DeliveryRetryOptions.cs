namespace AuthPlatform.Notification.Delivery;

/// <summary>
/// Settings under <c>Notification:Retry:</c>: exponential retry of a failed delivery inside the worker. When
/// the budget is spent, MassTransit moves the message to its queue's <c>_error</c> queue.
/// </summary>
public sealed class DeliveryRetryOptions
{
    public const string SectionName = "Notification:Retry";

    /// <summary>Retries after the first attempt.</summary>
    public int Count { get; set; } = 6;

    public TimeSpan MinInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxInterval { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan IntervalDelta { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The longest a message can stay in its consumer: every attempt at its limit, every wait at its longest. Past
    /// <see cref="Servers.StuckConsumerCheck.Limit"/> the worker's /alive would call honest retries stuck.
    /// </summary>
    public TimeSpan LongestConsume(TimeSpan longestAttempt) => (Count + 1) * longestAttempt + Count * MaxInterval;
}
