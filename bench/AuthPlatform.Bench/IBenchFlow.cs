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
    public static Outcome FromResponse(HttpResponseMessage response, HttpStatusCode expected) =>
        new(response.StatusCode == expected, ((int)response.StatusCode).ToString());
}

/// <summary>What every flow gets: the options, one shared HttpClient and somewhere to say what it is doing.</summary>
public sealed record BenchContext(BenchOptions Options, HttpClient Http, TextWriter Log)
{
    public Uri Gateway(string pathAndQuery) => new(Options.Gateway, pathAndQuery);

    public Uri Mail(string pathAndQuery) => new(Options.Mail, pathAndQuery);
}
