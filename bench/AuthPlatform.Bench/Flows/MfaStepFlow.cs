using System.Diagnostics;
using System.Net;

namespace AuthPlatform.Bench.Flows;

/// <summary>
/// The second step of a 2FA sign-in alone. Set-up: <c>--accounts</c> verified accounts (default 200) with TOTP on.
/// Before each phase, not measured: the password step (POST /api/sessions, one PBKDF2 hash each) is done until
/// <c>--prefetch</c> mfaTokens (default 1000) wait in the pool, spread evenly over the accounts. Measured: POST
/// /api/sessions/mfa with a prefetched mfaToken and a code for a step the account has not used; success is 200.
/// So no password hash runs during a measured phase. A phase ends at <c>--duration</c> or when no mfaToken can be
/// used any more (all spent, or their accounts have no fresh step before the next 30-second boundary), whichever
/// comes first; a note then says so, and throughput is over the shorter time.
/// </summary>
public sealed class MfaStepFlow : IBenchFlow, IPhaseAware
{
    private TotpAccounts _accounts = null!;
    private Stopwatch _phaseClock = new();
    private PhaseRecord _record = new();

    private sealed class PhaseRecord
    {
        public int TokensAtStart;
        public TimeSpan PrefetchTime;
        public int Prefetched;
        public int PrefetchFailures;
        public double EndedAtSeconds = double.NaN;
        public bool Stranded;
    }

    public string Name => "mfa-step";

    /// <summary>Default: as many as the accounts can use at once (two fresh steps each).</summary>
    private static int Prefetch(BenchOptions options) => options.Prefetch ?? 2 * (options.Accounts ?? 200);

    public async Task SetUpAsync(BenchContext context, CancellationToken cancellationToken) =>
        _accounts = await TotpAccounts.CreateAsync(context, context.Options.Accounts ?? 200, cancellationToken);

    public async Task BeforePhaseAsync(BenchContext context, Phase phase, CancellationToken cancellationToken)
    {
        // The warm-up gets a quarter: enough to warm up, without tiring the accounts the measured phase needs.
        var prefetch = Prefetch(context.Options);
        var target = phase.Measured ? prefetch : Math.Max(1, prefetch / 4);
        var record = new PhaseRecord();
        var missing = target - _accounts.MfaTokens;
        var clock = Stopwatch.StartNew();
        if (missing > 0)
        {
            context.Log.WriteLine($"  prefetching {missing} mfaTokens (password step, not measured) …");
            var failures = 0;
            await Parallel.ForEachAsync(Enumerable.Range(0, missing), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
                async (_, token) =>
                {
                    var account = _accounts.AccountForNextMfaToken();
                    var issued = Stopwatch.GetTimestamp();
                    string? mfaToken, failure;
                    try
                    {
                        (mfaToken, failure) = await TotpAccounts.PasswordStepAsync(context, account.Email, token);
                    }
                    catch (HttpRequestException e)
                    {
                        (mfaToken, failure) = (null, e.Message);
                    }
                    if (mfaToken is not null)
                    {
                        _accounts.AddMfaToken(account, mfaToken, issued);
                        return;
                    }
                    _accounts.MfaTokenFailed(account);
                    if (Interlocked.Increment(ref failures) <= 3)
                    {
                        context.Log.WriteLine($"  prefetch failed for {account.Email}: {failure}");
                    }
                });
            record.Prefetched = missing - failures;
            record.PrefetchFailures = failures;
        }
        record.PrefetchTime = clock.Elapsed;
        record.TokensAtStart = _accounts.MfaTokens;
        context.Log.WriteLine($"  {record.TokensAtStart} mfaTokens ready ({record.Prefetched} fetched in {record.PrefetchTime.TotalSeconds:0.0} s); {(phase.Measured ? "measuring" : "warming up")} …");
        _accounts.TakeCounters();
        _record = record;
        _phaseClock = Stopwatch.StartNew();
    }

    public async Task<Outcome> RunOnceAsync(BenchContext context, int worker, CancellationToken cancellationToken)
    {
        if (await _accounts.TakeAsync(withMfaToken: true, cancellationToken) is not { } lease)
        {
            var record = _record;
            lock (record)
            {
                if (double.IsNaN(record.EndedAtSeconds))
                {
                    record.EndedAtSeconds = _phaseClock.Elapsed.TotalSeconds;
                    record.Stranded = _accounts.MfaTokens > 0;
                }
            }
            return Outcome.NothingLeft;
        }
        try
        {
            var clock = Stopwatch.StartNew();
            using var response = await TotpAccounts.SecondStepAsync(context, lease.MfaToken!, lease.Code, cancellationToken);
            clock.Stop();
            return Outcome.FromResponse(response, HttpStatusCode.OK) with { TimedMs = clock.Elapsed.TotalMilliseconds };
        }
        finally
        {
            _accounts.Release(lease.Account);
        }
    }

    public IReadOnlyList<string> AfterPhase(BenchContext context, Phase phase)
    {
        var record = _record;
        var (waits, waited, expired) = _accounts.TakeCounters();
        var notes = new List<string>
        {
            $"{record.TokensAtStart} mfaTokens ready at the start ({record.Prefetched} prefetched in {record.PrefetchTime.TotalSeconds:0.0} s before the phase" +
            (record.PrefetchFailures > 0 ? $", {record.PrefetchFailures} prefetches failed" : "") + $"), {_accounts.MfaTokens} left at the end, {expired} expired unused.",
            $"{waits} calls waited for an account's previous answer ({waited.TotalMilliseconds:0} ms in all, not in the latencies).",
        };
        if (!double.IsNaN(record.EndedAtSeconds))
        {
            notes.Add(record.Stranded
                ? $"ENDED EARLY after {record.EndedAtSeconds:0.0} s of {phase.Length.TotalSeconds:0} s: the accounts holding the remaining mfaTokens had no fresh time step (use more --accounts)."
                : $"ENDED EARLY after {record.EndedAtSeconds:0.0} s of {phase.Length.TotalSeconds:0} s: the prefetched mfaTokens were all used (use a larger --prefetch).");
        }
        return notes;
    }
}
