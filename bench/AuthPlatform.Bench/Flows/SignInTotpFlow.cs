using System.Diagnostics;
using System.Net;

namespace AuthPlatform.Bench.Flows;

/// <summary>
/// A whole 2FA sign-in. Set-up: <c>--accounts</c> verified accounts (default 300) with TOTP on. Measured, end to
/// end: POST /api/sessions (must answer mfaRequired with an mfaToken), then POST /api/sessions/mfa with a code for a
/// step the account has not used; success is the second step's 200. Waiting for an account with a fresh step (only
/// when the pool is too small) is not in the latency, but is in the phase's time; a note counts the waits.
/// </summary>
public sealed class SignInTotpFlow : IBenchFlow, IPhaseAware
{
    private TotpAccounts _accounts = null!;

    public string Name => "signin-totp";

    public async Task SetUpAsync(BenchContext context, CancellationToken cancellationToken) =>
        _accounts = await TotpAccounts.CreateAsync(context, context.Options.Accounts ?? 300, cancellationToken);

    public Task BeforePhaseAsync(BenchContext context, Phase phase, CancellationToken cancellationToken)
    {
        _accounts.TakeCounters();
        return Task.CompletedTask;
    }

    public async Task<Outcome> RunOnceAsync(BenchContext context, int worker, CancellationToken cancellationToken)
    {
        var lease = (await _accounts.TakeAsync(withMfaToken: false, cancellationToken))!.Value;
        try
        {
            var clock = Stopwatch.StartNew();
            var (mfaToken, failure) = await TotpAccounts.PasswordStepAsync(context, lease.Account.Email, cancellationToken);
            if (mfaToken is null)
            {
                return new Outcome(false, failure!) { TimedMs = clock.Elapsed.TotalMilliseconds };
            }
            using var response = await TotpAccounts.SecondStepAsync(context, mfaToken, lease.Code, cancellationToken);
            clock.Stop();
            return new Outcome(response.StatusCode == HttpStatusCode.OK, $"mfa {(int)response.StatusCode}") { TimedMs = clock.Elapsed.TotalMilliseconds };
        }
        finally
        {
            _accounts.Release(lease.Account);
        }
    }

    public IReadOnlyList<string> AfterPhase(BenchContext context, Phase phase)
    {
        var (waits, waited, _) = _accounts.TakeCounters();
        return [$"{waits} sign-ins waited for an account with a fresh time step ({waited.TotalSeconds:0.0} s in all: in the phase's time, not in the latencies)."];
    }
}
