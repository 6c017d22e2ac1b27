using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Web;

namespace AuthPlatform.Bench.Flows;

/// <summary>
/// Set-up: <c>--accounts</c> verified, signed-in accounts (default 8), and an SMS provider answering as Twilio's
/// Messages API on <c>--sms-provider</c> (the platform's <c>Twilio__BaseUrl</c>; ./bench.sh starts the platform with
/// it). Measured: starting text-message setup (POST /api/mfa/sms) for a fresh number, until the text reaches the
/// provider: MFA, verification, the outbox, the bus, the notification worker and its Twilio client. Success is 202
/// and the text within 30 s.
/// </summary>
public sealed class SmsCodeFlow : IBenchFlow, IDisposable
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _awaited = new(StringComparer.Ordinal);
    private HttpListener? _provider;
    private AuthenticationHeaderValue[] _bearers = [];
    private int _next = -1;

    // Consecutive numbers from a random start, so no number comes twice in a run: drawn at random, about a dozen of
    // 4,600 repeated, and one repeated for the same account met the platform's resend cooldown (a 429 it is right to give).
    private int _nextNumber = RandomNumberGenerator.GetInt32(100_000, 500_000);

    public string Name => "sms-code";

    public async Task SetUpAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var address = context.Options.SmsProvider
            ?? throw new InvalidOperationException("sms-code needs --sms-provider URL, the platform's Twilio__BaseUrl (./bench.sh sets both).");
        _provider = new HttpListener();
        _provider.Prefixes.Add(address.GetLeftPart(UriPartial.Authority) + "/");
        _provider.Start();
        _ = Task.Run(() => ServeAsync(_provider), CancellationToken.None);
        _bearers = await PasswordSignInFlow.CreateVerifiedAccountsAsync(context, context.Options.Accounts ?? 8, async (email, _, token) =>
            new AuthenticationHeaderValue("Bearer", await PasswordSignInFlow.CreateVerifiedAccountAsync(context, email, token)), cancellationToken);
    }

    public async Task<Outcome> RunOnceAsync(BenchContext context, int worker, CancellationToken cancellationToken)
    {
        // A UK mobile number (+44 7400 …, one of the regions the platform texts by default), new for every call.
        var number = "+447400" + Interlocked.Increment(ref _nextNumber);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_awaited.TryAdd(number, arrived))
        {
            return new Outcome(false, "number drawn twice");
        }
        try
        {
            var clock = Stopwatch.StartNew();
            using var request = new HttpRequestMessage(HttpMethod.Post, context.Gateway("api/mfa/sms"))
            {
                Content = JsonContent.Create(new { phoneNumber = number }),
            };
            request.Headers.Authorization = _bearers[(int)((uint)Interlocked.Increment(ref _next) % (uint)_bearers.Length)];
            using (var response = await context.Http.SendAsync(request, cancellationToken))
            {
                if (response.StatusCode != HttpStatusCode.Accepted)
                {
                    return Outcome.FromResponse(response, HttpStatusCode.Accepted);
                }
            }
            try
            {
                await arrived.Task.WaitAsync(GiveUpAfter, cancellationToken);
            }
            catch (TimeoutException)
            {
                return new Outcome(false, "no text") { TimedMs = clock.Elapsed.TotalMilliseconds };
            }
            return new Outcome(true, "202") { TimedMs = clock.Elapsed.TotalMilliseconds };
        }
        finally
        {
            _awaited.TryRemove(number, out _);
        }
    }

    public void Dispose() => _provider?.Close();

    /// <summary>Twilio's "create message" as far as the platform's client reads it: 201 with the message's sid and status.</summary>
    private async Task ServeAsync(HttpListener provider)
    {
        while (provider.IsListening)
        {
            HttpListenerContext call;
            try
            {
                call = await provider.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using var reader = new StreamReader(call.Request.InputStream);
            var form = HttpUtility.ParseQueryString(await reader.ReadToEndAsync());
            var to = form["To"] ?? "";
            if (_awaited.TryGetValue(to, out var arrived))
            {
                arrived.TrySetResult();
            }
            var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string?>
            {
                ["sid"] = "SM" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
                ["status"] = "queued",
                ["to"] = to,
                ["from"] = form["From"],
                ["api_version"] = "2010-04-01",
            });
            call.Response.StatusCode = 201;
            call.Response.ContentType = "application/json";
            await call.Response.OutputStream.WriteAsync(body);
            call.Response.Close();
        }
    }
}
