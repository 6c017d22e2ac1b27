using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using OtpNet;

namespace AuthPlatform.Bench.Flows;

/// <summary>A verified account with authenticator-app 2FA on, and the bench's copy of its secret (the "phone").</summary>
public sealed class TotpAccount(string email, byte[] secret)
{
    public string Email => email;

    /// <summary>The last time step used (enrolment counts); the server accepts only later steps. Guarded by the pool.</summary>
    internal long LastStep { get; set; } = long.MinValue;

    /// <summary>A request with a code of this account is in flight: the next one must wait for its answer.</summary>
    internal bool Busy { get; set; }

    /// <summary>Prefetched mfaTokens of this account (oldest first) with when they were issued. Guarded by the pool.</summary>
    internal Queue<(string Token, long IssuedAt)> MfaTokens { get; } = new();

    /// <summary>mfaTokens being fetched for this account right now. Guarded by the pool.</summary>
    internal int MfaTokensComing { get; set; }

    public string CodeFor(long step) =>
        new Totp(secret, TotpAccounts.StepSeconds, OtpHashMode.Sha1, 6).ComputeTotp(DateTimeOffset.FromUnixTimeSeconds(step * TotpAccounts.StepSeconds).UtcDateTime);
}

/// <summary>One use of an account: a step nobody used before, its code and (mfa-step) a prefetched mfaToken.</summary>
public readonly record struct TotpLease(TotpAccount Account, long Step, string Code, string? MfaToken);

/// <summary>
/// The server accepts each 30-second TOTP step at most once per account, and only a step later than the last one
/// it accepted; a code counts for one step either side of the server's current one. A wrong code counts against the
/// account (5 per 5 minutes, then locked), and a step used out of order is a wrong code. So the pool hands out a
/// code only for step max(current, last + 1) when that is at most current + 1 (never current − 1: the step could
/// end before the request arrives), and lets only one request per account be in flight, so steps reach the server in
/// order. Sustained, an account gives one use per 30 s; a rested one gives two at once (current and current + 1).
/// When no account can be used, the caller waits; the waits are counted.
/// </summary>
public sealed class TotpAccounts
{
    public const int StepSeconds = 30;

    /// <summary>The server keeps an mfaToken 5 minutes; the bench drops its own a little earlier.</summary>
    public static readonly TimeSpan MfaTokenUsableFor = TimeSpan.FromSeconds(285);

    private readonly Lock _gate = new();
    private readonly TotpAccount[] _accounts;
    private int _cursor;
    private int _tokens;
    private long _waits;
    private long _waitTicks;
    private long _expired;

    public TotpAccounts(IReadOnlyList<TotpAccount> accounts) => _accounts = [.. accounts];

    public int Count => _accounts.Length;

    public static long CurrentStep() => DateTimeOffset.UtcNow.ToUnixTimeSeconds() / StepSeconds;

    /// <summary>
    /// Creates <paramref name="count"/> verified accounts (as <see cref="PasswordSignInFlow"/> does) and turns on TOTP for
    /// each: POST /api/mfa/totp, then POST /api/mfa/totp/confirm with a current code (that step counts as used).
    /// </summary>
    public static async Task<TotpAccounts> CreateAsync(BenchContext context, int count, CancellationToken cancellationToken)
    {
        var accounts = await PasswordSignInFlow.CreateVerifiedAccountsAsync(context, count, async (email, _, token) =>
        {
            var accessToken = await PasswordSignInFlow.CreateVerifiedAccountAsync(context, email, token);
            return await EnrolAsync(context, email, accessToken, token);
        }, cancellationToken);
        return new TotpAccounts(accounts);
    }

    private static async Task<TotpAccount> EnrolAsync(BenchContext context, string email, string accessToken, CancellationToken cancellationToken)
    {
        string secret;
        using (var start = await SendWithBearerAsync(context, "api/mfa/totp", accessToken, new { }, cancellationToken))
        {
            await PasswordSignInFlow.Expect(start, HttpStatusCode.OK, "TOTP set-up", email);
            secret = (await start.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("secret").GetString()!;
        }
        var account = new TotpAccount(email, Base32Encoding.ToBytes(secret));
        var step = CurrentStep();
        account.LastStep = step;
        using (var confirm = await SendWithBearerAsync(context, "api/mfa/totp/confirm", accessToken, new { code = account.CodeFor(step) }, cancellationToken))
        {
            await PasswordSignInFlow.Expect(confirm, HttpStatusCode.OK, "TOTP confirm", email);
        }
        return account;
    }

    private static Task<HttpResponseMessage> SendWithBearerAsync(BenchContext context, string path, string accessToken, object body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, context.Gateway(path)) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return context.Http.SendAsync(request, cancellationToken);
    }

    /// <summary>The password step: POST /api/sessions, which must answer mfaRequired; its mfaToken, or why not.</summary>
    public static async Task<(string? MfaToken, string? Failure)> PasswordStepAsync(BenchContext context, string email, CancellationToken cancellationToken)
    {
        using var response = await PasswordSignInFlow.SignInAsync(context, email, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (null, $"sessions {(int)response.StatusCode}");
        }
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return body.TryGetProperty("mfaRequired", out var required) && required.GetBoolean()
            ? (body.GetProperty("mfaToken").GetString(), null)
            : (null, "sessions 200 without mfaRequired");
    }

    /// <summary>The second step: POST /api/sessions/mfa with a TOTP code.</summary>
    public static Task<HttpResponseMessage> SecondStepAsync(BenchContext context, string mfaToken, string code, CancellationToken cancellationToken) =>
        context.Http.PostAsJsonAsync(context.Gateway("api/sessions/mfa"), new { mfaToken, method = "totp", code }, cancellationToken);

    /// <summary>Prefetched mfaTokens not yet used (expired ones are dropped when met).</summary>
    public int MfaTokens
    {
        get
        {
            lock (_gate)
            {
                return _tokens;
            }
        }
    }

    /// <summary>
    /// The account that should get the next prefetched mfaToken: the one with the most room, i.e. fresh steps usable
    /// now (0–2) minus the mfaTokens it holds or is getting. Call <see cref="AddMfaToken"/> or
    /// <see cref="MfaTokenFailed"/> after the password step.
    /// </summary>
    public TotpAccount AccountForNextMfaToken()
    {
        lock (_gate)
        {
            var current = CurrentStep();
            var best = _accounts[0];
            var bestRoom = int.MinValue;
            foreach (var account in _accounts)
            {
                var room = FreshSteps(account, current) - account.MfaTokens.Count - account.MfaTokensComing;
                if (room > bestRoom)
                {
                    (best, bestRoom) = (account, room);
                }
            }
            best.MfaTokensComing++;
            return best;
        }
    }

    public void AddMfaToken(TotpAccount account, string mfaToken, long issuedAt)
    {
        lock (_gate)
        {
            account.MfaTokensComing--;
            account.MfaTokens.Enqueue((mfaToken, issuedAt));
            _tokens++;
        }
    }

    public void MfaTokenFailed(TotpAccount account)
    {
        lock (_gate)
        {
            account.MfaTokensComing--;
        }
    }

    /// <summary>Steps the account may still use before the next boundary: those after its last, from current to current + 1.</summary>
    private static int FreshSteps(TotpAccount account, long current) =>
        (int)Math.Clamp(current + 2 - Math.Max(account.LastStep == long.MinValue ? current : account.LastStep + 1, current), 0, 2);

    /// <summary>
    /// Waits for an account that is not busy, has a fresh step and (if <paramref name="withMfaToken"/>) a prefetched
    /// mfaToken, and marks it busy and the step used; call <see cref="Release"/> after the request. Round robin, so
    /// uses spread over every account. With <paramref name="withMfaToken"/> it waits only for a busy account's answer
    /// (milliseconds), never for the next time step: it returns null instead, when no mfaTokens are left or the
    /// accounts holding them have no fresh step until the next one (<see cref="MfaTokens"/> then is not 0).
    /// </summary>
    public async Task<TotpLease?> TakeAsync(bool withMfaToken, CancellationToken cancellationToken)
    {
        long waitStarted = 0;
        while (true)
        {
            lock (_gate)
            {
                var current = CurrentStep();
                var now = Stopwatch.GetTimestamp();
                var busyOnly = false;
                for (var i = 0; i < _accounts.Length; i++)
                {
                    var index = (_cursor + i) % _accounts.Length;
                    var account = _accounts[index];
                    if (withMfaToken)
                    {
                        while (account.MfaTokens.TryPeek(out var t) && Stopwatch.GetElapsedTime(t.IssuedAt, now) > MfaTokenUsableFor)
                        {
                            account.MfaTokens.Dequeue();
                            _tokens--;
                            _expired++;
                        }
                        if (account.MfaTokens.Count == 0)
                        {
                            continue;
                        }
                    }
                    var step = Math.Max(current, account.LastStep + 1);
                    if (step > current + 1)
                    {
                        continue;
                    }
                    if (account.Busy)
                    {
                        busyOnly = true;
                        continue;
                    }
                    account.Busy = true;
                    account.LastStep = step;
                    string? mfaToken = null;
                    if (withMfaToken)
                    {
                        mfaToken = account.MfaTokens.Dequeue().Token;
                        _tokens--;
                    }
                    _cursor = (index + 1) % _accounts.Length;
                    if (waitStarted != 0)
                    {
                        _waits++;
                        _waitTicks += now - waitStarted;
                    }
                    return new TotpLease(account, step, account.CodeFor(step), mfaToken);
                }
                if (withMfaToken && !busyOnly)
                {
                    return null;
                }
                if (waitStarted == 0)
                {
                    waitStarted = now;
                }
            }
            await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken);
        }
    }

    public void Release(TotpAccount account)
    {
        lock (_gate)
        {
            account.Busy = false;
        }
    }

    /// <summary>How many takes had to wait, for how long in all, and how many mfaTokens expired unused, since the last call.</summary>
    public (long Waits, TimeSpan Waited, long Expired) TakeCounters()
    {
        lock (_gate)
        {
            var result = (_waits, Stopwatch.GetElapsedTime(0, _waitTicks), _expired);
            (_waits, _waitTicks, _expired) = (0, 0, 0);
            return result;
        }
    }
}
