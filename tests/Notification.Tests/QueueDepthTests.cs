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
        var refusals = File.ReadLines(Path.Combine(platform.LogDirectory, "eventbus.log"))
            .Select(line => Refusal().Match(line))
            .Where(match => match.Success
                && DateTimeOffset.Parse(match.Groups["at"].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) >= since)
            .Select(match => match.Groups["queue"].Value)
            .ToList();

        refusals.ShouldNotContain(queue => queue.Contains("_bus_"), "the bus's temporary queue is not the gauge's");
        // Once a minute per queue; a worker restarted by another test in this collection looks once more at its start.
        foreach (var queue in refusals.GroupBy(q => q))
        {
            queue.Count().ShouldBeLessThanOrEqualTo(2, $"'{queue.Key}' looked for in the last minute");
        }
    }

    [GeneratedRegex(@"^(?<at>\S+Z) .*not_found: no queue '(?<queue>[^']+)'")]
    private static partial Regex Refusal();
}
