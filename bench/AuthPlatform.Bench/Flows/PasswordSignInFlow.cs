using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace AuthPlatform.Bench.Flows;

/// <summary>
/// Set-up: <c>--accounts</c> verified accounts, made as a person would (sign up, read the "Verify your email"
/// email in MailDev, press the link's button, sign in once). Measured: POST /api/sessions, round-robin over the
/// accounts; success is 200.
/// </summary>
public sealed class PasswordSignInFlow : IBenchFlow
{
    public const string Password = "correct horse battery staple";

    private static int s_earlySignIns;
    private string[] _emails = [];
    private int _next = -1;

    public string Name => "signin";

    public async Task SetUpAsync(BenchContext context, CancellationToken cancellationToken)
    {
        _emails = await CreateVerifiedAccountsAsync(context, context.Options.Accounts ?? 8, async (email, _, token) =>
        {
            await CreateVerifiedAccountAsync(context, email, token);
            return email;
        }, cancellationToken);
    }

    /// <summary>
    /// <paramref name="count"/> accounts made with <paramref name="create"/> (given a fresh address and its index),
    /// twelve at a time; each costs about two password hashes, so the time limit grows with the count.
    /// </summary>
    public static async Task<T[]> CreateVerifiedAccountsAsync<T>(BenchContext context, int count,
        Func<string, int, CancellationToken, Task<T>> create, CancellationToken cancellationToken)
    {
        var limit = TimeSpan.FromSeconds(60 + count * 0.5);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        static string NewEmail() => $"bench-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}@example.test";
        var made = new T[count];
        context.Log.WriteLine($"Creating {count} verified accounts through {context.Options.Gateway} …");
        try
        {
            // Twelve at a time: much of an account's making is waiting for its email and for the bus.
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 12, CancellationToken = timeout.Token },
                async (i, token) =>
                {
                    // A connection can fail now and then (e.g. MailDev closing an idle keep-alive connection just as
                    // it is reused); out of thousands of accounts, one such failure should not end the run.
                    for (var attempt = 1; ; attempt++)
                    {
                        var email = NewEmail();
                        try
                        {
                            made[i] = await create(email, i, token);
                            return;
                        }
                        catch (HttpRequestException e) when (attempt < 3)
                        {
                            context.Log.WriteLine($"  making {email} failed ({e.Message} {e.InnerException?.Message}); once more with a new address");
                        }
                    }
                });
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Creating the accounts took longer than {limit.TotalSeconds:0} s.");
        }
        context.Log.WriteLine($"  ({Interlocked.Exchange(ref s_earlySignIns, 0)} first sign-ins came before the verification and got 403.)");
        return made;
    }

    public async Task<Outcome> RunOnceAsync(BenchContext context, int worker, CancellationToken cancellationToken)
    {
        var email = _emails[(int)((uint)Interlocked.Increment(ref _next) % (uint)_emails.Length)];
        using var response = await SignInAsync(context, email, cancellationToken);
        return Outcome.FromResponse(response, HttpStatusCode.OK);
    }

    public static Task<HttpResponseMessage> SignInAsync(BenchContext context, string email, CancellationToken cancellationToken) =>
        context.Http.PostAsJsonAsync(context.Gateway("api/sessions"), new { email, password = Password }, cancellationToken);

    /// <summary>Signs up, verifies the address from its email and signs in; the access token of that sign-in.</summary>
    public static async Task<string> CreateVerifiedAccountAsync(BenchContext context, string email, CancellationToken cancellationToken) =>
        (await CreateVerifiedSessionAsync(context, email, cancellationToken)).AccessToken;

    /// <summary>
    /// Signs up, verifies the address from its email and signs in; that session's tokens. Gives up with a
    /// <see cref="TimeoutException"/> after <see cref="OneAccountLimit"/>: an email or a verification that has not
    /// arrived by then is not coming, and a caller must fail rather than wait for good.
    /// </summary>
    public static async Task<(string AccessToken, string RefreshToken)> CreateVerifiedSessionAsync(BenchContext context, string email, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(OneAccountLimit);
        try
        {
            return await SignUpVerifyAndSignInAsync(context, email, limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Making the verified account {email} took longer than {OneAccountLimit.TotalSeconds:0} s (no verify email, or account never learnt of the verification).");
        }
    }

    // Past a minute of waiting out the hashing queue (PostPatientlyAsync) and the usual seconds of email and bus.
    private static readonly TimeSpan OneAccountLimit = TimeSpan.FromMinutes(3);

    private static async Task<(string AccessToken, string RefreshToken)> SignUpVerifyAndSignInAsync(BenchContext context, string email, CancellationToken cancellationToken)
    {
        // 1. Sign up.
        using (var signUp = await PostPatientlyAsync(context, "api/accounts", new { email, password = Password }, cancellationToken))
        {
            await Expect(signUp, HttpStatusCode.Accepted, "sign-up", email);
        }

        // 2. The "Verify your email" email's link.
        var token = await MailDev.WaitForVerifyTokenAsync(context, email, cancellationToken);

        // 3. Confirm the link's token (what the portal's "Verify email" button does for a browser).
        using (var verify = await context.Http.PostAsJsonAsync(context.Gateway("api/verification/email/confirm"), new { token }, cancellationToken))
        {
            await Expect(verify, HttpStatusCode.OK, "verify-email", email);
        }

        // 4. The account service learns of the verification over the bus: 403 until it has.
        while (true)
        {
            using var signIn = await PostPatientlyAsync(context, "api/sessions", new { email, password = Password }, cancellationToken);
            if (signIn.StatusCode == HttpStatusCode.OK)
            {
                var tokens = await signIn.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                return (tokens.GetProperty("accessToken").GetString() ?? throw new InvalidOperationException($"first sign-in for {email}: no accessToken"),
                    tokens.GetProperty("refreshToken").GetString() ?? throw new InvalidOperationException($"first sign-in for {email}: no refreshToken"));
            }
            if (signIn.StatusCode != HttpStatusCode.Forbidden)
            {
                await Expect(signIn, HttpStatusCode.OK, "first sign-in", email);
            }
            Interlocked.Increment(ref s_earlySignIns);
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
    }

    /// <summary>
    /// A set-up request that waits out the platform's back-pressure: 503 with Retry-After when the bounded password
    /// hashing queue is full (set-up makes twelve accounts at a time on two cores), up to a minute.
    /// </summary>
    public static async Task<HttpResponseMessage> PostPatientlyAsync(BenchContext context, string path, object body, CancellationToken cancellationToken)
    {
        var giveUpAt = DateTimeOffset.UtcNow.AddMinutes(1);
        while (true)
        {
            var response = await context.Http.PostAsJsonAsync(context.Gateway(path), body, cancellationToken);
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || DateTimeOffset.UtcNow > giveUpAt)
            {
                return response;
            }
            var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
            response.Dispose();
            await Task.Delay(wait + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 250)), cancellationToken);
        }
    }

    public static async Task Expect(HttpResponseMessage response, HttpStatusCode expected, string step, string email)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new InvalidOperationException(
                $"{step} for {email}: expected {(int)expected}, got {(int)response.StatusCode}: {body[..Math.Min(body.Length, 300)]}");
        }
    }
}
