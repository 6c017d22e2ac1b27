namespace AuthPlatform.Bench;

/// <summary>One worker's own tally, so workers never share a list or a lock.</summary>
public sealed class WorkerResult
{
    public List<double> LatenciesMs { get; } = [];

    public Dictionary<string, int> Errors { get; } = [];

    public void Add(double milliseconds, Outcome outcome)
    {
        LatenciesMs.Add(milliseconds);
        if (!outcome.Success)
        {
            Errors[outcome.Label] = Errors.GetValueOrDefault(outcome.Label) + 1;
        }
    }
}

public sealed record PhaseResult(int Concurrency, TimeSpan Elapsed, double[] SortedLatenciesMs, IReadOnlyDictionary<string, int> Errors)
{
    /// <summary>The measured window in UTC (set by the runner), to match with CPU samples.</summary>
    public DateTimeOffset Start { get; init; }

    public DateTimeOffset End { get; init; }

    public int Requests => SortedLatenciesMs.Length;

    public int ErrorCount => Errors.Values.Sum();

    public double Throughput => Requests / Elapsed.TotalSeconds;

    /// <summary>Nearest-rank percentile of every call's latency, failures included.</summary>
    public double Percentile(double p) =>
        Requests == 0 ? double.NaN : SortedLatenciesMs[Math.Clamp((int)Math.Ceiling(p / 100 * Requests) - 1, 0, Requests - 1)];

    public static PhaseResult Merge(int concurrency, TimeSpan elapsed, IEnumerable<WorkerResult> workers)
    {
        var latencies = new List<double>();
        var errors = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var worker in workers)
        {
            latencies.AddRange(worker.LatenciesMs);
            foreach (var (label, count) in worker.Errors)
            {
                errors[label] = errors.GetValueOrDefault(label) + count;
            }
        }
        latencies.Sort();
        return new PhaseResult(concurrency, elapsed, [.. latencies], errors);
    }
}
