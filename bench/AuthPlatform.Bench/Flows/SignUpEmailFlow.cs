using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;

namespace AuthPlatform.Bench.Flows;

/// <summary>
/// Measured: a sign-up (POST /api/accounts) of a fresh address, then polling MailDev every 20 ms until its
/// "Verify your email" email is there; the latency is from sending the sign-up to seeing the email (sign-up, outbox,
/// bus, notification worker, SMTP). Success is 202 and the email within 30 s.
/// </summary>
public sealed class SignUpEmailFlow : IBenchFlow
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(30);

    public string Name => "signup-email";

    public Task SetUpAsync(BenchContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<Outcome> RunOnceAsync(BenchContext context, int worker, CancellationToken cancellationToken)
    {
        var email = $"bench-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}@example.test";
        var clock = Stopwatch.StartNew();
        using (var signUp = await context.Http.PostAsJsonAsync(context.Gateway("api/accounts"), new { email, password = PasswordSignInFlow.Password }, cancellationToken))
        {
            if (signUp.StatusCode != HttpStatusCode.Accepted)
            {
                return Outcome.FromResponse(signUp, HttpStatusCode.Accepted);
            }
        }
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        giveUp.CancelAfter(GiveUpAfter);
        try
        {
            await MailDev.WaitForVerifyTokenAsync(context, email, giveUp.Token, TimeSpan.FromMilliseconds(20));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Outcome(false, "no email") { TimedMs = clock.Elapsed.TotalMilliseconds };
        }
        return new Outcome(true, "200") { TimedMs = clock.Elapsed.TotalMilliseconds };
    }
}
