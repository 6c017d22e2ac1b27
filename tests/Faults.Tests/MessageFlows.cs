using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using AuthPlatform.Bench;
using AuthPlatform.Bench.Flows;

namespace AuthPlatform.Faults.Tests;

/// <summary>Sign-ups of fresh addresses: each one accepted (202) owes exactly one "Verify your email" email.</summary>
public sealed class SignUpMessagesFlow : IBenchFlow
{
    private readonly ConcurrentQueue<string> _accepted = new();

    public string Name => "sign-up";

    public Task SetUpAsync(BenchContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<Outcome> RunOnceAsync(BenchContext context, int worker, CancellationToken cancellationToken)
    {
        var email = PlatformFixture.NewEmail("fault");
        using var response = await context.Http.PostAsJsonAsync(context.Gateway("api/accounts"), new { email, password = PasswordSignInFlow.Password }, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            _accepted.Enqueue(email);
        }
        return Outcome.FromResponse(response, HttpStatusCode.Accepted);
    }

    /// <summary>The addresses accepted since the last call.</summary>
    public IReadOnlyList<string> TakeAccepted() => Drain(_accepted);

    internal static IReadOnlyList<string> Drain(ConcurrentQueue<string> queue)
    {
        var taken = new List<string>();
        while (queue.TryDequeue(out var item))
        {
            taken.Add(item);
        }
        return taken;
    }
}

/// <summary>
/// Phone enrolments (POST /api/mfa/sms) of fresh numbers from a few signed-in accounts: each one accepted (202) owes
/// exactly one text with its code.
/// </summary>
public sealed class SmsMessagesFlow : IBenchFlow
{
    private readonly ConcurrentQueue<string> _accepted = new();
    private AuthenticationHeaderValue[] _bearers = [];
    private int _next = -1;

    public string Name => "sms-enrol";

    public async Task SetUpAsync(BenchContext context, CancellationToken cancellationToken) =>
        _bearers = await PasswordSignInFlow.CreateVerifiedAccountsAsync(context, context.Options.Accounts ?? 3, async (email, _, token) =>
            new AuthenticationHeaderValue("Bearer", await PasswordSignInFlow.CreateVerifiedAccountAsync(context, email, token)), cancellationToken);

    public async Task<Outcome> RunOnceAsync(BenchContext context, int worker, CancellationToken cancellationToken)
    {
        var phoneNumber = TestPhoneNumbers.NewMobile();
        using var request = new HttpRequestMessage(HttpMethod.Post, context.Gateway("api/mfa/sms")) { Content = JsonContent.Create(new { phoneNumber }) };
        request.Headers.Authorization = _bearers[(int)((uint)Interlocked.Increment(ref _next) % (uint)_bearers.Length)];
        using var response = await context.Http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            _accepted.Enqueue(phoneNumber);
        }
        return Outcome.FromResponse(response, HttpStatusCode.Accepted);
    }

    /// <summary>The numbers accepted since the last call.</summary>
    public IReadOnlyList<string> TakeAccepted() => SignUpMessagesFlow.Drain(_accepted);
}
