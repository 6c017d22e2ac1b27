using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace AuthPlatform.Bench.Hashing;

/// <summary>
/// One password hash as the account service makes it (services/Account/Passwords/PasswordHasher.cs):
/// PBKDF2-HMAC-SHA512, 210,000 iterations, 16-byte salt, 32-byte output. Every sign-in and sign-up costs one.
/// </summary>
[MemoryDiagnoser]
public class PasswordHashBenchmark
{
    private readonly byte[] _password = Encoding.UTF8.GetBytes("correct horse battery staple");
    private readonly byte[] _salt = RandomNumberGenerator.GetBytes(16);

    [Benchmark]
    public byte[] Pbkdf2Sha512_210k() => Rfc2898DeriveBytes.Pbkdf2(_password, _salt, 210_000, HashAlgorithmName.SHA512, 32);

    /// <summary>
    /// One hash on every core at once, as the hashing gate runs them under a sign-in flood: the sign-in ceiling is
    /// cores ÷ this time, which is longer than one hash alone when the cores share caches, clocks or a physical core.
    /// </summary>
    [Benchmark]
    public void Pbkdf2Sha512_210k_OnEveryCore() =>
        Parallel.For(0, Environment.ProcessorCount, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            _ => Rfc2898DeriveBytes.Pbkdf2(_password, _salt, 210_000, HashAlgorithmName.SHA512, 32));

    /// <summary>
    /// <c>hash --ceiling [--json FILE]</c>: the sign-in ceiling now, in a few seconds: one hash on every core at once,
    /// twelve rounds after two unmeasured ones, timed by the wall clock. <c>./bench.sh</c> runs it right before the
    /// sign-in flows, because what a hash costs on this machine moves by 15 % from one quarter of an hour to the next
    /// (docs/benchmarks.md, seventh pass), so a ceiling measured at another time says little about a run.
    /// </summary>
    public static int RunCeiling(string[] args)
    {
        var json = args.Length == 2 && args[0] == "--json" ? args[1] : null;
        if (args.Length != 0 && json is null)
        {
            Console.Error.WriteLine("Usage: AuthPlatform.Bench hash --ceiling [--json FILE]");
            return 2;
        }
        var benchmark = new PasswordHashBenchmark();
        var rounds = new List<double>();
        for (var round = 0; round < 14; round++)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            benchmark.Pbkdf2Sha512_210k_OnEveryCore();
            if (round >= 2)
            {
                rounds.Add(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        rounds.Sort();
        var hashMs = rounds[rounds.Count / 2];
        var ceiling = Environment.ProcessorCount * 1000 / hashMs;
        Console.WriteLine($"One hash on every core ({Environment.ProcessorCount}) at once: median {hashMs:F1} ms of {rounds.Count} rounds "
            + $"(min {rounds[0]:F1}, max {rounds[^1]:F1}); sign-in ceiling {ceiling:F1}/s.");
        if (json is not null)
        {
            File.WriteAllText(json, System.Text.Json.JsonSerializer.Serialize(new
            {
                utc = DateTime.UtcNow.ToString("HH:mm:ss"),
                cores = Environment.ProcessorCount,
                hashMs = Math.Round(hashMs, 1),
                ceilingPerSecond = Math.Round(ceiling, 1),
            }));
        }
        return 0;
    }

    /// <summary>
    /// In-process (no generated project to build), 2 warm-up and 10 measured iterations: about 15 s on 2 cores.
    /// Results go to BenchmarkDotNet.Artifacts/ next to the binary.
    /// </summary>
    public static int Run(string[] args)
    {
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(10)
            .WithId("Short");
        var config = DefaultConfig.Instance
            .AddJob(job)
            .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
        var summary = BenchmarkRunner.Run<PasswordHashBenchmark>(config, args);
        return summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success) ? 1 : 0;
    }
}
