using System.Diagnostics;

namespace AuthPlatform.Bench;

/// <summary>Set-up once, then for each concurrency level: a warm-up phase (discarded) and a measured phase.</summary>
public static class BenchRunner
{
    public static async Task<int> RunAsync(IBenchFlow flow, BenchOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = int.MaxValue,
        })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        var context = new BenchContext(options, http, output);

        var setUp = Stopwatch.StartNew();
        try
        {
            await flow.SetUpAsync(context, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            output.WriteLine("Stopped during set-up (Ctrl-C).");
            return 130;
        }
        catch (Exception e)
        {
            output.WriteLine($"Set-up of '{flow.Name}' failed after {setUp.Elapsed.TotalSeconds:0.0} s: {e.Message}{(e.InnerException is { } inner ? $" ({inner.Message})" : "")}");
            return 1;
        }
        output.WriteLine($"Set-up of '{flow.Name}' done in {setUp.Elapsed.TotalSeconds:0.0} s.");

        var rows = new List<PhaseResult>();
        var notes = new List<string>();
        foreach (var concurrency in options.Concurrency)
        {
            output.WriteLine($"{flow.Name} × {concurrency}: warm-up {options.Warmup.TotalSeconds:0} s, then {options.Duration.TotalSeconds:0} s measured…");
            try
            {
                await RunPhaseAsync(flow, context, new Phase(concurrency, false, options.Warmup), cancellationToken);
                var phase = new Phase(concurrency, true, options.Duration);
                var row = await RunPhaseAsync(flow, context, phase, cancellationToken);
                var end = DateTimeOffset.UtcNow;
                rows.Add(row with { Start = end - row.Elapsed, End = end });
                output.WriteLine($"  measured {end - row.Elapsed:HH:mm:ss.f}–{end:HH:mm:ss.f} UTC");
                if (flow is IPhaseAware aware)
                {
                    notes.AddRange(aware.AfterPhase(context, phase).Select(note => $"{flow.Name} × {concurrency}: {note}"));
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            if (cancellationToken.IsCancellationRequested)
            {
                output.WriteLine("Stopped early (Ctrl-C); the last row is partial or missing.");
                break;
            }
        }
        output.WriteLine();
        var label = options.Direct is null ? flow.Name : $"{flow.Name}-direct";
        Report.PrintTable(output, label, rows);
        if (options.Json is { } json)
        {
            await Report.WriteJsonAsync(json, label, rows, notes);
        }
        if (notes.Count > 0)
        {
            output.WriteLine();
            notes.ForEach(output.WriteLine);
        }
        return 0;
    }

    /// <summary>
    /// <see cref="Phase.Concurrency"/> workers call the flow back to back; none starts a call after
    /// <see cref="Phase.Length"/>, calls in flight then finish and count. A worker also stops when the flow says it has
    /// nothing left (<see cref="Outcome.Exhausted"/>). Elapsed is until the last call finished. A flow that is
    /// <see cref="IPhaseAware"/> prepares first, outside the clock.
    /// </summary>
    private static async Task<PhaseResult> RunPhaseAsync(IBenchFlow flow, BenchContext context, Phase phase, CancellationToken cancellationToken)
    {
        if (flow is IPhaseAware aware)
        {
            await aware.BeforePhaseAsync(context, phase, cancellationToken);
        }
        var (concurrency, length) = (phase.Concurrency, phase.Length);
        var workers = new WorkerResult[concurrency];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var result = workers[worker] = new WorkerResult();
            while (clock.Elapsed < length && !cancellationToken.IsCancellationRequested)
            {
                var stopwatch = Stopwatch.StartNew();
                Outcome outcome;
                try
                {
                    outcome = await flow.RunOnceAsync(context, worker, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                catch (TaskCanceledException)
                {
                    outcome = new Outcome(false, "timeout");
                }
                catch (Exception e)
                {
                    outcome = new Outcome(false, e.GetType().Name);
                }
                stopwatch.Stop();
                if (outcome.Exhausted)
                {
                    break;
                }
                result.Add(outcome.TimedMs ?? stopwatch.Elapsed.TotalMilliseconds, outcome);
            }
        }, CancellationToken.None)));
        clock.Stop();
        return PhaseResult.Merge(concurrency, clock.Elapsed, workers);
    }
}
