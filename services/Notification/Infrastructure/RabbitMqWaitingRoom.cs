using System.Collections.Concurrent;
using System.Globalization;
using AuthPlatform.Notification.Delivery;
using MassTransit;
using RabbitMQ.Client;

namespace AuthPlatform.Notification.Infrastructure;

/// <summary>
/// Postpones a message with RabbitMQ alone: it goes to a holding queue <c>{queue}_wait-{delay}</c> whose
/// <c>x-message-ttl</c> is the delay and whose dead-letter target is the message's own queue, so the broker puts it
/// back when the time is up. Stands in for the <c>rabbitmq_delayed_message_exchange</c> plugin that MassTransit's
/// <c>UseDelayedRedelivery</c> needs and that Debian does not package.
/// </summary>
/// <remarks>
/// The holding queue is durable and has no consumer; messages in it survive a broker restart. It is declared
/// (idempotently) before the first message goes in, through a connection of its own, because MassTransit cannot
/// declare a queue with arguments on the send side. The message is sent with the mandatory flag: if the holding
/// queue were gone the send fails and the message stays the caller's, rather than vanishing.
/// </remarks>
public sealed partial class RabbitMqWaitingRoom(IConfiguration configuration, ILogger<RabbitMqWaitingRoom> logger)
    : IPostponedDeliveries, IAsyncDisposable
{
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private readonly ConcurrentDictionary<string, bool> _declared = new();
    private IConnection? _connection;

    public async Task PostponeAsync<T>(ConsumeContext<T> context, TimeSpan delay, Action<SendContext> stamp) where T : class
    {
        var queue = QueueOf(context.ReceiveContext.InputAddress);
        var holding = HoldingQueueName(queue, delay);
        if (!_declared.ContainsKey(holding))
        {
            await DeclareAsync(holding, queue, delay, context.CancellationToken);
            _declared[holding] = true;
        }

        var endpoint = await context.GetSendEndpoint(new Uri($"exchange:{holding}"));
        try
        {
            await EventBus.WithinConfirmDeadline(_ => context.Forward(endpoint, Pipe.Execute<SendContext<T>>(send =>
            {
                stamp(send);
                if (send.TryGetPayload<RabbitMqSendContext>(out var rabbit))
                {
                    rabbit.Mandatory = true;
                }
            })), context.CancellationToken);
        }
        catch
        {
            // Perhaps the holding queue was deleted: declare it again next time.
            _declared.TryRemove(holding, out _);
            throw;
        }
    }

    /// <summary><c>send-email_wait-60s</c>; a delay that is not whole seconds is written in milliseconds.</summary>
    public static string HoldingQueueName(string queue, TimeSpan delay) =>
        delay.Ticks % TimeSpan.TicksPerSecond == 0
            ? $"{queue}_wait-{(long)delay.TotalSeconds}s"
            : $"{queue}_wait-{(long)delay.TotalMilliseconds}ms";

    /// <summary>The queue a receive endpoint reads: the last segment of its address (the vhost comes before it).</summary>
    public static string QueueOf(Uri? inputAddress)
    {
        if (inputAddress is null || inputAddress.Segments.Length < 2)
        {
            throw new InvalidOperationException("The message has no input queue to come back to.");
        }
        return Uri.UnescapeDataString(inputAddress.Segments[^1].TrimEnd('/'));
    }

    private async Task DeclareAsync(string holding, string queue, TimeSpan delay, CancellationToken cancellationToken)
    {
        var connection = await ConnectionAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        // The same exchange MassTransit declares for an "exchange:" address (fanout, durable), so neither side conflicts.
        await channel.ExchangeDeclareAsync(holding, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(holding, durable: true, exclusive: false, autoDelete: false, new Dictionary<string, object?>
        {
            ["x-message-ttl"] = (long)delay.TotalMilliseconds,
            // The default exchange routes by queue name: straight back to the consumer's queue.
            ["x-dead-letter-exchange"] = "",
            ["x-dead-letter-routing-key"] = queue,
        }, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(holding, holding, routingKey: "", cancellationToken: cancellationToken);
        LogDeclared(logger, holding, queue, delay.TotalSeconds.ToString(CultureInfo.InvariantCulture));
    }

    private async Task<IConnection> ConnectionAsync(CancellationToken cancellationToken)
    {
        if (_connection is { IsOpen: true } open)
        {
            return open;
        }
        await _connecting.WaitAsync(cancellationToken);
        try
        {
            if (_connection is { IsOpen: true } again)
            {
                return again;
            }
            if (_connection is not null)
            {
                await _connection.DisposeAsync();
            }
            var factory = new ConnectionFactory
            {
                Uri = new Uri(configuration.GetConnectionString("eventbus")
                    ?? throw new InvalidOperationException("ConnectionStrings:eventbus is not set.")),
            };
            _connection = await factory.CreateConnectionAsync("notification-waiting-room", cancellationToken);
            return _connection;
        }
        finally
        {
            _connecting.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
        _connecting.Dispose();
    }

    [LoggerMessage(1, LogLevel.Information, "Declared the holding queue {HoldingQueue}: messages wait {DelaySeconds} s, then go back to {Queue}")]
    private static partial void LogDeclared(ILogger logger, string holdingQueue, string queue, string delaySeconds);
}
