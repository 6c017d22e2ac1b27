using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;

namespace AuthPlatform.Bench.Flows;

/// <summary>
/// Set-up: <c>--accounts</c> verified accounts, made as a person would (sign up, read the "Verify your email"
/// email in MailDev, press the link's button, sign in once). Measured: POST /api/sessions, round-robin over the
/// accounts; success is 200.
/// </summary>
public sealed class SignInFlow : IBenchFlow
{
    public const string Password = "correct horse battery staple";
    private static readonly TimeSpan SetUpTimeout = TimeSpan.FromSeconds(60);

    private string[] _emails = [];
    private int _next = -1;

    public string Name => "signin";

    public async Task SetUpAsync(BenchContext context, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(SetUpTimeout);
        var emails = Enumerable.Range(0, context.Options.Accounts)
            .Select(_ => $"bench-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}@example.test")
            .ToArray();
        context.Log.WriteLine($"Creating {emails.Length} verified accounts through {context.Options.Gateway} …");
        try
        {
            await Parallel.ForEachAsync(emails, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = timeout.Token },
                async (email, token) => await CreateVerifiedAccountAsync(context, email, token));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Creating the accounts took longer than {SetUpTimeout.TotalSeconds:0} s.");
        }
        _emails = emails;
    }

    public async Task<Outcome> RunOnceAsync(BenchContext context, int worker, CancellationToken cancellationToken)
    {
        var email = _emails[(int)((uint)Interlocked.Increment(ref _next) % (uint)_emails.Length)];
        using var response = await SignInAsync(context, email, cancellationToken);
        return Outcome.FromResponse(response, HttpStatusCode.OK);
    }

    private static Task<HttpResponseMessage> SignInAsync(BenchContext context, string email, CancellationToken cancellationToken) =>
        context.Http.PostAsJsonAsync(context.Gateway("api/sessions"), new { email, password = Password }, cancellationToken);

    private static async Task CreateVerifiedAccountAsync(BenchContext context, string email, CancellationToken cancellationToken)
    {
        // 1. Sign up.
        using (var signUp = await context.Http.PostAsJsonAsync(context.Gateway("api/accounts"), new { email, password = Password }, cancellationToken))
        {
            await Expect(signUp, HttpStatusCode.Accepted, "sign-up", email);
        }

        // 2. The "Verify your email" email's link.
        var token = await MailDev.WaitForVerifyTokenAsync(context, email, cancellationToken);

        // 3. Press the button on the link's page (a plain form POST).
        using (var verify = await context.Http.PostAsync(context.Gateway("verify-email"),
                   new FormUrlEncodedContent([new("token", token)]), cancellationToken))
        {
            await Expect(verify, HttpStatusCode.OK, "verify-email", email);
        }

        // 4. The account service learns of the verification over the bus: 403 until it has.
        while (true)
        {
            using var signIn = await SignInAsync(context, email, cancellationToken);
            if (signIn.StatusCode == HttpStatusCode.OK)
            {
                return;
            }
            if (signIn.StatusCode != HttpStatusCode.Forbidden)
            {
                await Expect(signIn, HttpStatusCode.OK, "first sign-in", email);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
    }

    private static async Task Expect(HttpResponseMessage response, HttpStatusCode expected, string step, string email)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new InvalidOperationException(
                $"{step} for {email}: expected {(int)expected}, got {(int)response.StatusCode}: {body[..Math.Min(body.Length, 300)]}");
        }
    }
}
