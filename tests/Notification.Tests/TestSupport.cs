using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using AuthPlatform.Notification.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;

namespace AuthPlatform.Notification.Tests;

/// <summary>Collects every log line written through it, formatted, for assertions on what reaches the logs.</summary>
internal sealed class LogCollector : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Message)> entries = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Message)> Entries => [.. entries];

    public string AllText => string.Join("\n", entries.Select(e => e.Message));

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
            collector.entries.Enqueue((logLevel, category, formatter(state, exception) + " | " + values + (exception is null ? "" : " | " + exception)));
        }
    }
}

/// <summary>Sums a counter of this test's meter only (tests run in parallel), per channel and outcome/reason tag.</summary>
internal sealed class CounterRecorder : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<(string Channel, string Tag), long> totals = new();

    public CounterRecorder(IMeterFactory meterFactory, string instrumentName)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meterFactory)
                && instrument.Meter.Name == NotificationMetrics.MeterName
                && instrument.Name == instrumentName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? channel = null, tag = null;
            foreach (var t in tags)
            {
                if (t.Key == "channel")
                {
                    channel = t.Value as string;
                }
                else if (t.Key is "outcome" or "reason")
                {
                    tag = t.Value as string;
                }
            }
            totals.AddOrUpdate((channel ?? "(none)", tag ?? "(none)"), value, (_, total) => total + value);
        });
        listener.Start();
    }

    public long Count(string channel, string tag) => totals.GetValueOrDefault((channel, tag));

    public long Total(string channel) => totals.Where(t => t.Key.Channel == channel).Sum(t => t.Value);

    public void Dispose() => listener.Dispose();
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
