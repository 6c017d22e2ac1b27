using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AuthPlatform.Notification.Diagnostics;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Notification.Sms;

/// <summary>
/// Sends through Twilio's Messages API: <c>POST {BaseUrl}/2010-04-01/Accounts/{AccountSid}/Messages.json</c>,
/// form-encoded <c>To</c>, <c>From</c> and/or <c>MessagingServiceSid</c>, and <c>Body</c>, with HTTP Basic
/// <c>AccountSid:AuthToken</c>. A typed client from <see cref="IHttpClientFactory"/>, without the standard
/// resilience handler: this class owns the retry policy, because it has to honour Twilio's Retry-After.
/// </summary>
/// <remarks>
/// <para>Twilio answers 201 with the message resource (<c>sid</c>, <c>status</c>: queued, accepted, …) or an
/// error object <c>{code, message, more_info, status}</c>.</para>
/// <para>429 (never processed, always safe to retry), 408 and 5xx are retried here with exponential backoff
/// that honours Retry-After, within <see cref="TwilioOptions.MaxAttempts"/> and <see cref="TwilioOptions.RetryBudget"/>;
/// then the send reports a transient failure and the bus retries the message later. Any other 4xx (21211 invalid
/// 'To', 21610 unsubscribed, 21408 region not enabled, 21614 not a mobile number, 20003 bad credentials, …) is
/// final: retrying cannot change Twilio's mind.</para>
/// <para>Neither the body (it holds the code), the auth token nor Twilio's error text (it quotes the number)
/// is logged; numbers are masked.</para>
/// </remarks>
public sealed partial class TwilioSmsSender : ISmsSender
{
    private readonly HttpClient http;
    private readonly TwilioOptions options;
    private readonly TimeProvider timeProvider;
    private readonly NotificationMetrics metrics;
    private readonly ILogger<TwilioSmsSender> logger;
    private readonly Uri messagesUri;
    private readonly AuthenticationHeaderValue authorization;

    public TwilioSmsSender(HttpClient http, IOptions<TwilioOptions> options, TimeProvider timeProvider, NotificationMetrics metrics,
        ILogger<TwilioSmsSender> logger)
    {
        this.http = http;
        this.options = options.Value;
        this.timeProvider = timeProvider;
        this.metrics = metrics;
        this.logger = logger;
        if (!this.options.IsConfigured)
        {
            throw new InvalidOperationException($"Twilio is not configured: set {string.Join(", ", this.options.MissingSettings())}.");
        }
        messagesUri = MessagesUri(this.options);
        authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{this.options.AccountSid}:{this.options.AuthToken}")));
    }

    /// <summary><c>{BaseUrl}/2010-04-01/Accounts/{AccountSid}/Messages.json</c>.</summary>
    public static Uri MessagesUri(TwilioOptions options) =>
        new($"{options.BaseUrl.TrimEnd('/')}/2010-04-01/Accounts/{Uri.EscapeDataString(options.AccountSid ?? "")}/Messages.json");

    public async Task<SmsSendResult> SendAsync(string to, string body, CancellationToken cancellationToken)
    {
        var recipient = PhoneNumberMask.Mask(to);
        var started = timeProvider.GetTimestamp();
        var maxAttempts = Math.Max(1, options.MaxAttempts);
        for (var attempt = 1; ; attempt++)
        {
            var (result, retryAfter, retryReason) = await AttemptAsync(to, body, cancellationToken);
            if (result is not SmsSendFailed { Kind: SmsFailureKind.Transient } failure || attempt >= maxAttempts)
            {
                return result with { Attempts = attempt };
            }

            var delay = retryAfter ?? Backoff(attempt);
            if (timeProvider.GetElapsedTime(started) + delay > options.RetryBudget)
            {
                // Waiting that long would hold the consumer; the bus retries the message after its own backoff.
                LogRetryBeyondBudget(logger, recipient, failure.HttpStatus, failure.ProviderErrorCode, attempt, (long)delay.TotalMilliseconds);
                return failure with { Attempts = attempt };
            }
            metrics.Retried(DeliveryTags.Sms, retryReason);
            LogWillRetry(logger, recipient, failure.HttpStatus, failure.ProviderErrorCode, attempt, (long)delay.TotalMilliseconds, failure.Reason);
            await Task.Delay(delay, timeProvider, cancellationToken);
        }
    }

    private async Task<(SmsSendResult Result, TimeSpan? RetryAfter, string RetryReason)> AttemptAsync(
        string to, string body, CancellationToken cancellationToken)
    {
        var fields = new List<KeyValuePair<string, string>> { new("To", to) };
        if (!string.IsNullOrWhiteSpace(options.MessagingServiceSid))
        {
            fields.Add(new("MessagingServiceSid", options.MessagingServiceSid));
        }
        if (!string.IsNullOrWhiteSpace(options.From))
        {
            // With a Messaging Service as well, Twilio sends from this number of the service's sender pool.
            fields.Add(new("From", options.From));
        }
        fields.Add(new("Body", body));

        using var request = new HttpRequestMessage(HttpMethod.Post, messagesUri) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Authorization = authorization;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Twilio may have created the message all the same; a retry then sends the same code twice, which
            // beats not sending it at all.
            return (new SmsSendFailed(SmsFailureKind.Transient,
                $"Twilio did not answer within {options.RequestTimeout.TotalSeconds:0.#} s."), null, RetryReasons.Network);
        }
        catch (HttpRequestException ex)
        {
            return (new SmsSendFailed(SmsFailureKind.Transient, $"Could not reach Twilio ({ex.HttpRequestError})."), null, RetryReasons.Network);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            using var json = await ReadJsonAsync(response, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                var sid = StringProperty(json, "sid");
                var messageStatus = StringProperty(json, "status");
                if (sid is null)
                {
                    // Accepted all the same: retrying would send a second message.
                    LogUnreadableSuccess(logger, status);
                }
                return (new SmsSent(sid ?? "(unknown)", messageStatus ?? "(unknown)"), null, "");
            }

            var code = IntProperty(json, "code");
            if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || status >= 500)
            {
                var reason = response.StatusCode == HttpStatusCode.TooManyRequests ? RetryReasons.Throttled : RetryReasons.ServerError;
                return (new SmsSendFailed(SmsFailureKind.Transient, Describe(status, code), status, code), RetryAfter(response), reason);
            }
            return (new SmsSendFailed(SmsFailureKind.Permanent, Describe(status, code), status, code), null, "");
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        // 1×, 2×, 4× … the base delay, ±20 % so that replicas throttled together do not come back together.
        var nominal = options.RetryBaseDelay * Math.Pow(2, attempt - 1);
        return nominal * (0.8 + 0.4 * Random.Shared.NextDouble());
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }
        // Delta seconds or an HTTP date; a date in the past means "now".
        var delay = retryAfter.Delta ?? retryAfter.Date - timeProvider.GetUtcNow();
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }

    /// <summary>Our words for Twilio's answer: the status and the error code, never Twilio's text (it quotes the number).</summary>
    private static string Describe(int status, int? code)
    {
        var meaning = code switch
        {
            20003 => "authentication failed: check Twilio__AccountSid and Twilio__AuthToken",
            20404 => "not found: check Twilio__AccountSid and Twilio__BaseUrl",
            20429 => "too many requests",
            21211 => "invalid 'To' number",
            21408 => "sending to this region is not enabled on the account",
            21606 or 21659 => "the 'From' number cannot send this message",
            21610 => "the recipient has unsubscribed from this sender (replied STOP)",
            21612 => "the 'To' number cannot be reached from this sender",
            21614 => "the 'To' number is not a mobile number",
            _ => null,
        };
        var error = code is null ? "" : $", error {code}" + (meaning is null ? "" : $" ({meaning})");
        var more = code is null ? "" : $"; see https://www.twilio.com/docs/errors/{code}";
        return $"Twilio answered HTTP {status}{error}{more}.";
    }

    private static async Task<JsonDocument?> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return text.Length == 0 ? null : JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            // A proxy's HTML error page and the like: the status alone decides.
            return null;
        }
    }

    private static string? StringProperty(JsonDocument? json, string name) =>
        json is { RootElement.ValueKind: JsonValueKind.Object } && json.RootElement.TryGetProperty(name, out var value)
            && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static int? IntProperty(JsonDocument? json, string name) =>
        json is { RootElement.ValueKind: JsonValueKind.Object } && json.RootElement.TryGetProperty(name, out var value)
            && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : null;

    /// <summary>Values of the retries counter's <c>reason</c> tag.</summary>
    private static class RetryReasons
    {
        public const string Throttled = "throttled";
        public const string ServerError = "server_error";
        public const string Network = "network";
    }

    [LoggerMessage(1, LogLevel.Warning,
        "Twilio refused the SMS to {Recipient} for now (HTTP {HttpStatus}, error {ErrorCode}) on attempt {Attempt}; retrying in {DelayMs} ms: {Reason}")]
    private static partial void LogWillRetry(ILogger logger, string recipient, int? httpStatus, int? errorCode, int attempt, long delayMs, string reason);

    [LoggerMessage(2, LogLevel.Warning,
        "Twilio refused the SMS to {Recipient} for now (HTTP {HttpStatus}, error {ErrorCode}) on attempt {Attempt} and asks to wait {DelayMs} ms, beyond the retry budget; leaving it to the bus")]
    private static partial void LogRetryBeyondBudget(ILogger logger, string recipient, int? httpStatus, int? errorCode, int attempt, long delayMs);

    [LoggerMessage(3, LogLevel.Warning, "Twilio accepted an SMS (HTTP {HttpStatus}) but its answer has no message sid")]
    private static partial void LogUnreadableSuccess(ILogger logger, int httpStatus);
}
