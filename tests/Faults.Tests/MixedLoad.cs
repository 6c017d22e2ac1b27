using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using AuthPlatform.Bench;

namespace AuthPlatform.Faults.Tests;

/// <summary>One call of a flow: when it started and ended on the load's clock, and how it ended.</summary>
public sealed record Sample(string Flow, TimeSpan Start, TimeSpan End, bool Success, string Label);

/// <summary>A flow of the bench and how often each of its workers calls it.</summary>
public sealed record LoadStream(IBenchFlow Flow, int Workers, TimeSpan Every);

/// <summary>
/// A steady load through the gateway: each stream's workers call its bench flow (bench/AuthPlatform.Bench) at a fixed
/// pace, and every call is kept with its times, so a test can say what failed, when, and what was in flight at a
/// moment. Paced rather than flat out, so two cores are left to the platform's own recovery.
/// </summary>
public sealed class MixedLoad
{
    private readonly BenchContext _context;
    private readonly IReadOnlyList<LoadStream> _streams;
    private readonly Stopwatch _clock = new();
    private readonly ConcurrentQueue<Sample> _samples = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;

    public MixedLoad(BenchContext context, IReadOnlyList<LoadStream> streams) => (_context, _streams) = (context, streams);

    public TimeSpan Now => _clock.Elapsed;

    public void Start()
    {
        _clock.Start();
        _running = Task.WhenAll(_streams.SelectMany(stream => Enumerable.Range(0, stream.Workers)
            .Select(worker => Task.Run(() => WorkAsync(stream, worker, _stop.Token)))));
    }

    /// <summary>Lets the load run on for <paramref name="time"/>.</summary>
    public Task RunForAsync(TimeSpan time) => Task.Delay(time);

    public async Task<LoadRecord> StopAsync()
    {
        await _stop.CancelAsync();
        await _running;
        return new LoadRecord([.. _samples.OrderBy(s => s.Start)]);
    }

    private async Task WorkAsync(LoadStream stream, int worker, CancellationToken stop)
    {
        var next = Now + stream.Every * worker / Math.Max(1, stream.Workers);
        while (!stop.IsCancellationRequested)
        {
            if (next > Now)
            {
                try
                {
                    await Task.Delay(next - Now, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            var started = Now;
            Outcome outcome;
            try
            {
                outcome = await stream.Flow.RunOnceAsync(_context, worker, CancellationToken.None);
            }
            catch (Exception e)
            {
                outcome = new Outcome(false, e is TaskCanceledException ? "timeout" : e.GetType().Name);
            }
            var ended = Now;
            if (!outcome.Exhausted)
            {
                // A flow that waited before its request (an account with a fresh TOTP step) times the request itself.
                var start = outcome.TimedMs is { } ms ? ended - TimeSpan.FromMilliseconds(ms) : started;
                _samples.Enqueue(new Sample(stream.Flow.Name, start, ended, outcome.Success, outcome.Label));
            }
            next = Max(next + stream.Every, Now);
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

/// <summary>The calls of one load run, and the figures a fault scenario reports.</summary>
public sealed class LoadRecord(IReadOnlyList<Sample> samples)
{
    public IReadOnlyList<Sample> Samples => samples;

    public IReadOnlyList<Sample> Failures => [.. samples.Where(s => !s.Success)];

    /// <summary>Calls that had started and not yet ended at <paramref name="moment"/>.</summary>
    public int InFlightAt(TimeSpan moment) => samples.Count(s => s.Start <= moment && s.End > moment);

    public IReadOnlyList<Sample> FailedBefore(TimeSpan moment) => [.. samples.Where(s => !s.Success && s.End <= moment)];

    /// <summary>Calls that started at or after <paramref name="moment"/> and failed.</summary>
    public IReadOnlyList<Sample> FailedStartingAfter(TimeSpan moment) => [.. samples.Where(s => !s.Success && s.Start >= moment)];

    public IReadOnlyList<Sample> Between(TimeSpan from, TimeSpan to) => [.. samples.Where(s => s.Start >= from && s.End <= to)];

    /// <summary>From <paramref name="moment"/> to the end of the last failed call after it; zero when none failed after it.</summary>
    public TimeSpan RecoveryAfter(TimeSpan moment) =>
        samples.Where(s => !s.Success && s.End > moment).Select(s => s.End - moment).DefaultIfEmpty(TimeSpan.Zero).Max();

    /// <summary>Nearest-rank percentile of the latencies of <paramref name="flow"/>'s calls in a window, in ms.</summary>
    public static double Percentile(IEnumerable<Sample> window, double p)
    {
        var sorted = window.Select(s => (s.End - s.Start).TotalMilliseconds).Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    /// <summary>"812 requests (signin-totp 40, refresh 260, …), 3 failed (read-mfa 502: 2, …), slowest refresh 2.1 s (503)".</summary>
    public string Summary()
    {
        string ByFlow(IEnumerable<Sample> some) =>
            string.Join(", ", some.GroupBy(s => s.Flow).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));
        var failures = Failures;
        var failed = failures.Count == 0
            ? "0 failed"
            : $"{failures.Count} failed ({string.Join(", ", failures.GroupBy(s => $"{s.Flow} {s.Label}").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}: {g.Count()}"))})";
        var slowest = samples.MaxBy(s => s.End - s.Start);
        return $"{samples.Count} requests ({ByFlow(samples)}), {failed}"
            + (slowest is null ? "" : $", slowest {slowest.Flow} {Seconds(slowest.End - slowest.Start)} ({slowest.Label})");
    }

    public static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
