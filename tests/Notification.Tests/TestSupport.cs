using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using AuthPlatform.Notification.Delivery;
using AuthPlatform.Notification.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;

namespace AuthPlatform.Notification.Tests;

/// <summary>Collects every log line written through it, formatted, for assertions on what reaches the logs.</summary>
internal sealed class LogCollector : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Message)> Entries => [.. _entries];

    public string AllText => string.Join("\n", _entries.Select(e => e.Message));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCollector collector, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // The structured values too: a sink may write them out even when the template leaves them out.
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            collector._entries.Enqueue((logLevel, category, formatter(state, exception) + " | " + values + (exception is null ? "" : " | " + exception)));
        }
    }
}

/// <summary>
/// Sums a counter of this test's meter only (tests run in parallel), per channel and outcome/reason/connection tag.
/// </summary>
internal sealed class CounterRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Channel, string Tag), long> _totals = new();

    public CounterRecorder(IMeterFactory meterFactory, string instrumentName)
    {
        _listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meterFactory)
                && instrument.Meter.Name == NotificationMetrics.MeterName
                && instrument.Name == instrumentName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? channel = null, tag = null;
            foreach (var t in tags)
            {
                if (t.Key == "channel")
                {
                    channel = t.Value as string;
                }
                else if (t.Key is "outcome" or "reason" or "connection")
                {
                    tag = t.Value as string;
                }
            }
            _totals.AddOrUpdate((channel ?? "(none)", tag ?? "(none)"), value, (_, total) => total + value);
        });
        _listener.Start();
    }

    public long Count(string channel, string tag) => _totals.GetValueOrDefault((channel, tag));

    public long Total(string channel) => _totals.Where(t => t.Key.Channel == channel).Sum(t => t.Value);

    /// <summary>Every measurement with this outcome, reason or connection tag, whatever its channel.</summary>
    public long CountTagged(string tag) => _totals.Where(t => t.Key.Tag == tag).Sum(t => t.Value);

    /// <summary>Every measurement, whatever its tags.</summary>
    public long Total() => _totals.Values.Sum();

    public void Dispose() => _listener.Dispose();
}

internal static class TestHost
{
    public static IHostEnvironment Environment(string name) =>
        new HostingEnvironment { EnvironmentName = name, ApplicationName = "Notification.Tests", ContentRootPath = AppContext.BaseDirectory };

    /// <summary>Settings written as environment variables (<c>Twilio__From</c>), as the services get them.</summary>
    public static IConfiguration Configuration(IEnumerable<KeyValuePair<string, string?>> settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key.Replace("__", ":"), s.Value)))
            .Build();
}

/// <summary>
/// Postpones by putting the message straight back on its queue and moving the fake clock on by the delay, as if
/// it had waited in the holding queue: the whole schedule plays out in milliseconds.
/// </summary>
internal sealed class ClockWaitingRoom(Microsoft.Extensions.Time.Testing.FakeTimeProvider clock) : IPostponedDeliveries
{
    private readonly ConcurrentQueue<(Guid? MessageId, TimeSpan Delay)> _postponed = new();

    public IReadOnlyList<(Guid? MessageId, TimeSpan Delay)> Postponed => [.. _postponed];

    public bool Broken { get; set; }

    public async Task PostponeAsync<T>(MassTransit.ConsumeContext<T> context, TimeSpan delay, Action<MassTransit.SendContext> stamp) where T : class
    {
        if (Broken)
        {
            throw new InvalidOperationException("The holding queue is unreachable.");
        }
        if (_postponed.Count >= 50)
        {
            throw new InvalidOperationException("Postponed 50 times: the schedule never ends.");
        }
        _postponed.Enqueue((context.MessageId, delay));
        clock.Advance(delay);
        await MassTransit.ForwardExtensions.Forward(context, context.ReceiveContext.InputAddress!,
            MassTransit.Pipe.Execute<MassTransit.SendContext<T>>(send => stamp(send)));
    }
}

/// <summary>The postponement schedule the harness tests use: back after 1, 5, then every 15 minutes; given up after 30.</summary>
internal static class TestSchedule
{
    public static readonly TimeSpan[] Delays = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15)];

    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(30);

    /// <summary>Postponed at 0, 1, 6 and 21 minutes; at 36 the 30 minutes have passed.</summary>
    public static readonly TimeSpan[] Expected = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15)];

    /// <summary>The first delivery and one per return.</summary>
    public const int Rounds = 5;

    public static void Apply(PostponementOptions options)
    {
        options.Delays = Delays;
        options.GiveUpAfter = GiveUpAfter;
    }
}

/// <summary>The delivery ledger in memory, which can be made unreachable for reads or for writes.</summary>
internal sealed class FakeDeliveryLedger : IDeliveryLedger
{
    public ConcurrentDictionary<(string Channel, Guid MessageId), bool> Delivered { get; } = new();

    public bool Unreachable { get; set; }

    public bool WritesFail { get; set; }

    public Task<bool> WasDeliveredAsync(string channel, Guid messageId, CancellationToken cancellationToken) =>
        Unreachable
            ? Task.FromException<bool>(new TimeoutException("The ledger is unreachable."))
            : Task.FromResult(Delivered.ContainsKey((channel, messageId)));

    public Task MarkDeliveredAsync(string channel, Guid messageId, CancellationToken cancellationToken)
    {
        if (WritesFail)
        {
            return Task.FromException(new TimeoutException("The ledger is unreachable."));
        }
        Delivered[(channel, messageId)] = true;
        return Task.CompletedTask;
    }

    /// <summary>Messages being sent now (claimed, not yet delivered or released).</summary>
    public ConcurrentDictionary<(string Channel, Guid MessageId), bool> Claims { get; } = new();

    /// <summary>Called when a claim is refused: another delivery of the same message holds it.</summary>
    public Action? ClaimRefused { get; set; }

    public Task<bool> TryClaimAsync(string channel, Guid messageId, CancellationToken cancellationToken)
    {
        if (Unreachable)
        {
            return Task.FromException<bool>(new TimeoutException("The ledger is unreachable."));
        }
        var claimed = Claims.TryAdd((channel, messageId), true);
        if (!claimed)
        {
            ClaimRefused?.Invoke();
        }
        return Task.FromResult(claimed);
    }

    public Task ReleaseClaimAsync(string channel, Guid messageId, CancellationToken cancellationToken)
    {
        Claims.TryRemove((channel, messageId), out _);
        return Task.CompletedTask;
    }

    /// <summary>Addresses under cooldown, per email, with the message that started it (no expiry: tests are short).</summary>
    public ConcurrentDictionary<(string Email, string Address), Guid?> Cooldowns { get; } = new();

    public Task<bool> TryStartCooldownAsync(string email, string address, Guid? messageId, TimeSpan cooldown, CancellationToken cancellationToken)
    {
        var started = Cooldowns.GetOrAdd((email, address.ToLowerInvariant()), messageId);
        return Task.FromResult(started == messageId);
    }
}

internal static class BusWait
{
    /// <summary>Polls until <paramref name="condition"/> holds; fails after 10 s.</summary>
    public static async Task UntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the bus did not get there in time");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
