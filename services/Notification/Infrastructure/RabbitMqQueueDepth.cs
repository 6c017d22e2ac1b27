using System.Collections.Concurrent;
using AuthPlatform.Notification.Diagnostics;
using MassTransit;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace AuthPlatform.Notification.Infrastructure;

/// <summary>
/// Counts the messages waiting in every queue this worker consumes, and in its <c>_error</c> queue, for the
/// <c>authplatform.notification.queue.depth</c> gauge: a growing queue means the workers fall behind, a non-empty error
/// queue means messages were given up on. The queues are learnt from MassTransit as its endpoints become ready (not
/// the bus's own temporary queue), and read with a passive declare, which never creates one.
/// </summary>
public sealed partial class RabbitMqQueueDepth(IConfiguration configuration, NotificationMetrics metrics, TimeProvider time,
    ILogger<RabbitMqQueueDepth> logger)
    : BackgroundService, IReceiveEndpointObserver
{
    /// <summary>How often the broker is asked; the gauge reports the last answer.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often a queue that does not exist yet (an <c>_error</c> queue before anything was given up on) is looked for
    /// again: each look is a refused passive declare, an error line in RabbitMQ's log.
    /// </summary>
    public static readonly TimeSpan MissingQueueInterval = TimeSpan.FromMinutes(1);

    /// <summary>The client-provided name of the gauge's own broker connection, as RabbitMQ's log and UI show it.</summary>
    public const string ConnectionName = "notification-queue-depth";

    /// <summary>Each queue and when to read it next.</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> _queues = new();

    public Task Ready(ReceiveEndpointReady ready)
    {
        if (IsTemporary(ready.InputAddress))
        {
            return Task.CompletedTask;
        }
        var queue = RabbitMqWaitingRoom.QueueOf(ready.InputAddress);
        _queues.TryAdd(queue, DateTimeOffset.MinValue);
        _queues.TryAdd(queue + "_error", DateTimeOffset.MinValue);
        return Task.CompletedTask;
    }

    /// <summary>The bus's own endpoint: a queue deleted with its connection, which no other connection can look at.</summary>
    private static bool IsTemporary(Uri address) =>
        address.Query.Contains("temporary=true", StringComparison.OrdinalIgnoreCase)
        || address.Query.Contains("autodelete=true", StringComparison.OrdinalIgnoreCase);

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var factory = new ConnectionFactory
        {
            Uri = new Uri(configuration.GetConnectionString("eventbus")
                ?? throw new InvalidOperationException("ConnectionStrings:eventbus is not set.")),
        };
        using var timer = new PeriodicTimer(Interval);
        IConnection? connection = null;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    connection ??= await factory.CreateConnectionAsync(ConnectionName, stoppingToken);
                    await MeasureAsync(connection, stoppingToken);
                }
                catch (Exception ex) when (ex is BrokerUnreachableException or AlreadyClosedException or OperationInterruptedException or IOException)
                {
                    // The broker is down or restarting: the gauge keeps its last values, the health check tells the rest.
                    LogUnavailable(logger, ex.Message);
                    if (connection is not null)
                    {
                        await connection.DisposeAsync();
                        connection = null;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private async Task MeasureAsync(IConnection connection, CancellationToken cancellationToken)
    {
        IChannel? channel = null;
        try
        {
            var now = time.GetUtcNow();
            foreach (var (queue, due) in _queues.OrderBy(q => q.Key, StringComparer.Ordinal))
            {
                if (due > now)
                {
                    continue;
                }
                // A failed passive declare closes its channel: open another for the next queue.
                channel = channel is { IsOpen: true } ? channel : await connection.CreateChannelAsync(cancellationToken: cancellationToken);
                try
                {
                    var declared = await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
                    metrics.QueueDepth(queue, declared.MessageCount);
                }
                catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
                {
                    // An error queue appears with the first message given up on: until then nothing waits in it.
                    metrics.QueueDepth(queue, 0);
                    _queues[queue] = now + MissingQueueInterval;
                }
            }
        }
        finally
        {
            if (channel is not null)
            {
                await channel.DisposeAsync();
            }
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Could not read the queue depths from RabbitMQ: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}
