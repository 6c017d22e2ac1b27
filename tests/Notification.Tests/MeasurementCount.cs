using System.Diagnostics.Metrics;

namespace AuthPlatform.Notification.Tests;

/// <summary>
/// Sums one of the worker's counters, for one meter factory only (tests run side by side), optionally only the
/// measurements carrying a given tag value.
/// </summary>
internal sealed class MeasurementCount : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _total;

    public MeasurementCount(IMeterFactory meterFactory, string instrumentName, KeyValuePair<string, object?>? tag = null)
    {
        _listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meterFactory) && instrument.Name == instrumentName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            if (tag is null || tags.ToArray().Contains(tag.Value))
            {
                Interlocked.Add(ref _total, value);
            }
        });
        _listener.Start();
    }

    public long Total => Interlocked.Read(ref _total);

    public void Dispose() => _listener.Dispose();
}
