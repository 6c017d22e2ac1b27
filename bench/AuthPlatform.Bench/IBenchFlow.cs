using System.Net;

namespace AuthPlatform.Bench;

/// <summary>
/// One thing to measure. <see cref="SetUpAsync"/> runs once, unmeasured (create accounts, read emails, …);
/// <see cref="RunOnceAsync"/> is the measured unit, called in a loop by each worker until time is up. A flow keeps
/// its own state (what set-up made) in fields; RunOnceAsync is called from several workers at once.
/// </summary>
public interface IBenchFlow
{
    string Name { get; }

    Task SetUpAsync(BenchContext context, CancellationToken cancellationToken);

    Task<Outcome> RunOnceAsync(BenchContext context, int worker, CancellationToken cancellationToken);
}

/// <summary>What one measured call ended in. <see cref="Label"/> groups the failures in the report (e.g. "429").</summary>
public readonly record struct Outcome(bool Success, string Label)
{
    /// <summary>
    /// The latency to record when the flow timed only part of the call itself (it had untimed preparation, such as
    /// waiting for an account that may be used); null: the runner's own stopwatch around the whole call.
    /// </summary>
    public double? TimedMs { get; init; }

    /// <summary>The flow has nothing left for this phase (e.g. its prefetched tokens are used up): the worker stops, and this call is not counted.</summary>
    public bool Exhausted { get; init; }

    public static Outcome NothingLeft => new(true, "exhausted") { Exhausted = true };

    public static Outcome FromResponse(HttpResponseMessage response, HttpStatusCode expected) =>
        new(response.StatusCode == expected, ((int)response.StatusCode).ToString());
}

/// <summary>One warm-up or measured phase of one concurrency level.</summary>
public sealed record Phase(int Concurrency, bool Measured, TimeSpan Length);

/// <summary>
/// Optional, for a flow that prepares (unmeasured) before each phase, e.g. prefetches tokens, and has something to
/// say about each measured phase (waits, …). The runner calls these around every phase; notes appear under the table.
/// </summary>
public interface IPhaseAware
{
    Task BeforePhaseAsync(BenchContext context, Phase phase, CancellationToken cancellationToken);

    IReadOnlyList<string> AfterPhase(BenchContext context, Phase phase);
}

/// <summary>What every flow gets: the options, one shared HttpClient and somewhere to say what it is doing.</summary>
public sealed record BenchContext(BenchOptions Options, HttpClient Http, TextWriter Log)
{
    public Uri Gateway(string pathAndQuery) => new(Options.Gateway, pathAndQuery);

    /// <summary>Where a measured read goes: the service named by <c>--direct</c>, else the gateway.</summary>
    public Uri Measured(string pathAndQuery) => new(Options.Direct ?? Options.Gateway, pathAndQuery);

    public Uri Mail(string pathAndQuery) => new(Options.Mail, pathAndQuery);
}
