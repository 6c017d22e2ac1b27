using System.Globalization;
using System.Text.RegularExpressions;
using AuthPlatform.Notification.Infrastructure;
using AuthPlatform.Testing;

namespace AuthPlatform.Notification.Tests;

/// <summary>
/// The queue-depth gauge reads RabbitMQ with passive declares; a queue that does not exist yet (an <c>_error</c> queue
/// before anything was given up on) makes the broker log an error. An operator reading that log sees each missing
/// queue looked for once a minute, not every five seconds, and never the bus's own temporary queue.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed partial class QueueDepthTests(NotificationPlatform platform)
{
    [Fact]
    public async Task Queues_that_do_not_exist_yet_are_looked_for_once_a_minute_and_the_bus_queue_never()
    {
        // A few of the gauge's readings, so a worker that looked every five seconds would have done so several times.
        await Task.Delay(RabbitMqQueueDepth.Interval * 3, TestContext.Current.CancellationToken);

        var since = DateTimeOffset.UtcNow - RabbitMqQueueDepth.MissingQueueInterval + TimeSpan.FromSeconds(5);
        var refusals = GaugeRefusals(File.ReadLines(Path.Combine(platform.LogDirectory, "eventbus.log")))
            .Where(refusal => refusal.At >= since)
            .Select(refusal => refusal.Queue)
            .ToList();

        refusals.ShouldNotContain(queue => queue.Contains("_bus_"), "the bus's temporary queue is not the gauge's");
        // Once a minute per queue; a worker restarted by another test in this collection looks once more at its start.
        foreach (var queue in refusals.GroupBy(q => q))
        {
            queue.Count().ShouldBeLessThanOrEqualTo(2, $"'{queue.Key}' looked for in the last minute");
        }
    }

    /// <summary>
    /// The broker's "no queue" refusals on the gauge's own connection (<see cref="RabbitMqQueueDepth.ConnectionName"/>).
    /// Other tests in the collection look into <c>_error</c> queues on connections of
    /// their own, and RabbitMQ logs those refusals alike. Each refusal is two lines from the channel's process: "Channel
    /// error on connection &lt;conn&gt;", then the queue it did not find.
    /// </summary>
    private static IEnumerable<(DateTimeOffset At, string Queue)> GaugeRefusals(IEnumerable<string> log)
    {
        var names = new Dictionary<string, string>();
        var connectionOfChannel = new Dictionary<string, string>();
        foreach (var line in log)
        {
            if (ClientName().Match(line) is { Success: true } named)
            {
                names[named.Groups["conn"].Value] = named.Groups["name"].Value;
            }
            else if (ChannelError().Match(line) is { Success: true } error)
            {
                connectionOfChannel[error.Groups["channel"].Value] = error.Groups["conn"].Value;
            }
            else if (Refusal().Match(line) is { Success: true } refusal
                && connectionOfChannel.TryGetValue(refusal.Groups["channel"].Value, out var connection)
                && names.GetValueOrDefault(connection) == RabbitMqQueueDepth.ConnectionName)
            {
                yield return (DateTimeOffset.Parse(refusal.Groups["at"].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                    refusal.Groups["queue"].Value);
            }
        }
    }

    [GeneratedRegex(@"connection (?<conn><[0-9.]+>) \([^)]*\) has a client-provided name: (?<name>\S+)")]
    private static partial Regex ClientName();

    [GeneratedRegex(@"\[error\] (?<channel><[0-9.]+>) Channel error on connection (?<conn><[0-9.]+>)")]
    private static partial Regex ChannelError();

    [GeneratedRegex(@"^(?<at>\S+Z) .*\[error\] (?<channel><[0-9.]+>) .*not_found: no queue '(?<queue>[^']+)'")]
    private static partial Regex Refusal();
}
