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
            output.WriteLine($"Set-up of '{flow.Name}' failed after {setUp.Elapsed.TotalSeconds:0.0} s: {e.Message}");
            return 1;
        }
        output.WriteLine($"Set-up of '{flow.Name}' done in {setUp.Elapsed.TotalSeconds:0.0} s.");

        var rows = new List<PhaseResult>();
        foreach (var concurrency in options.Concurrency)
        {
            output.WriteLine($"{flow.Name} × {concurrency}: warm-up {options.Warmup.TotalSeconds:0} s, then {options.Duration.TotalSeconds:0} s measured…");
            await RunPhaseAsync(flow, context, concurrency, options.Warmup, cancellationToken);
            rows.Add(await RunPhaseAsync(flow, context, concurrency, options.Duration, cancellationToken));
            if (cancellationToken.IsCancellationRequested)
            {
                output.WriteLine("Stopped early (Ctrl-C); the last row is partial.");
                break;
            }
        }
        output.WriteLine();
        Report.PrintTable(output, flow.Name, rows);
        return 0;
    }

    /// <summary>
    /// <paramref name="concurrency"/> workers call the flow back to back; none starts a call after
    /// <paramref name="length"/>, calls in flight then finish and count. Elapsed is until the last one finished.
    /// </summary>
    private static async Task<PhaseResult> RunPhaseAsync(IBenchFlow flow, BenchContext context, int concurrency, TimeSpan length, CancellationToken cancellationToken)
    {
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
                result.Add(stopwatch.Elapsed.TotalMilliseconds, outcome);
            }
        }, CancellationToken.None)));
        clock.Stop();
        return PhaseResult.Merge(concurrency, clock.Elapsed, workers);
    }
}
