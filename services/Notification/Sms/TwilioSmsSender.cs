using System.Net;
using AuthPlatform.Notification.Diagnostics;
using Microsoft.Extensions.Options;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Http;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace AuthPlatform.Notification.Sms;

/// <summary>
/// Sends through the <c>Twilio</c> SDK: <c>MessageResource.CreateAsync</c> on a <see cref="TwilioRestClient"/> with
/// <c>AccountSid</c>/<c>AuthToken</c>, whose <see cref="SystemNetHttpClient"/> is built on this typed client from
/// <see cref="IHttpClientFactory"/>. So the request (<c>POST /2010-04-01/Accounts/{AccountSid}/Messages.json</c>,
/// form-encoded <c>To</c>, <c>From</c> and/or <c>MessagingServiceSid</c>, <c>Body</c>, HTTP Basic) is the SDK's,
/// and it gets the factory's logging and tracing; <see cref="TwilioApiHandler"/> sends it to <c>Twilio__BaseUrl</c>.
/// There is no resilience handler on the client: this class owns the retry policy, because it has to honour
/// Twilio's Retry-After and must never repeat a refused message (nor any POST on its own).
/// </summary>
/// <remarks>
/// <para>Twilio answers 201 with the message resource (<c>sid</c>, <c>status</c>: queued, accepted, …) or an
/// error object <c>{code, message, more_info, status}</c>, which the SDK throws as an <see cref="ApiException"/>.</para>
/// <para>429 (never processed, always safe to retry), 408 and 5xx are retried here with exponential backoff
/// that honours Retry-After, within <see cref="TwilioOptions.MaxAttempts"/> and <see cref="TwilioOptions.RetryBudget"/>;
/// then the send reports a transient failure and the bus retries the message later. Any other 4xx (21211 invalid
/// 'To', 21610 unsubscribed, 21408 region not enabled, 21614 not a mobile number, 20003 bad credentials, …) is
/// final: retrying cannot change Twilio's mind.</para>
/// <para>Neither the body (it holds the code), the auth token nor Twilio's error text (it quotes the number; the
/// SDK puts it in its exception's message) is logged; numbers are masked.</para>
/// </remarks>
public sealed partial class TwilioSmsSender : ISmsSender
{
    private readonly TwilioRestClient _twilio;
    private readonly TwilioOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly NotificationMetrics _metrics;
    private readonly ILogger<TwilioSmsSender> _logger;

    /// <param name="http">From IHttpClientFactory, with <see cref="TwilioApiHandler"/> and Twilio:RequestTimeout.</param>
    public TwilioSmsSender(System.Net.Http.HttpClient http, IOptions<TwilioOptions> options, TimeProvider timeProvider,
        NotificationMetrics metrics, ILogger<TwilioSmsSender> logger)
    {
        _options = options.Value;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _logger = logger;
        if (!_options.IsConfigured)
        {
            throw new InvalidOperationException($"Twilio is not configured: set {string.Join(", ", _options.MissingSettings())}.");
        }
        _twilio = new TwilioRestClient(_options.AccountSid, _options.AuthToken, accountSid: _options.AccountSid,
            httpClient: new SystemNetHttpClient(http));
    }

    public async Task<SmsSendResult> SendAsync(string to, string body, CancellationToken cancellationToken)
    {
        var recipient = PhoneNumberMask.Mask(to);
        var started = _timeProvider.GetTimestamp();
        var maxAttempts = Math.Max(1, _options.MaxAttempts);
        for (var attempt = 1; ; attempt++)
        {
            var (result, retryAfter, retryReason) = await AttemptAsync(to, body, cancellationToken);
            if (result is not SmsSendFailed { Kind: SmsFailureKind.Transient } failure || attempt >= maxAttempts)
            {
                return result with { Attempts = attempt };
            }

            var delay = retryAfter ?? Backoff(attempt);
            if (_timeProvider.GetElapsedTime(started) + delay > _options.RetryBudget)
            {
                // Waiting that long would hold the consumer; the bus retries the message after its own backoff.
                LogRetryBeyondBudget(_logger, recipient, failure.HttpStatus, failure.ProviderErrorCode, attempt, (long)delay.TotalMilliseconds);
                return failure with { Attempts = attempt };
            }
            _metrics.Retried(DeliveryTags.Sms, retryReason);
            LogWillRetry(_logger, recipient, failure.HttpStatus, failure.ProviderErrorCode, attempt, (long)delay.TotalMilliseconds, failure.Reason);
            await Task.Delay(delay, _timeProvider, cancellationToken);
        }
    }

    private async Task<(SmsSendResult Result, TimeSpan? RetryAfter, string RetryReason)> AttemptAsync(
        string to, string body, CancellationToken cancellationToken)
    {
        var message = new CreateMessageOptions(new PhoneNumber(to)) { Body = body };
        if (!string.IsNullOrWhiteSpace(_options.MessagingServiceSid))
        {
            message.MessagingServiceSid = _options.MessagingServiceSid;
        }
        if (!string.IsNullOrWhiteSpace(_options.From))
        {
            // With a Messaging Service as well, Twilio sends from this number of the service's sender pool.
            message.From = new PhoneNumber(_options.From);
        }

        // Ends with this method: each attempt sees only its own answer.
        var exchange = TwilioAttempt.Start(cancellationToken);
        try
        {
            var created = await MessageResource.CreateAsync(message, _twilio);
            if (created?.Sid is null)
            {
                // Accepted all the same: retrying would send a second message.
                LogUnreadableSuccess(_logger, exchange.HttpStatus ?? 0);
            }
            return (new SmsSent(created?.Sid ?? "(unknown)", created?.Status?.ToString() ?? "(unknown)"), null, "");
        }
        catch (ApiConnectionException) when (cancellationToken.IsCancellationRequested)
        {
            // The SDK wraps the cancelled request; a sender surfaces only the caller's cancellation as an exception.
            throw new OperationCanceledException(cancellationToken);
        }
        catch (ApiConnectionException ex) when (exchange.HttpStatus is null)
        {
            if (ex.InnerException is OperationCanceledException or TimeoutException)
            {
                // Twilio may have created the message all the same; a retry then sends the same code twice, which
                // beats not sending it at all.
                return (new SmsSendFailed(SmsFailureKind.Transient,
                    $"Twilio did not answer within {_options.RequestTimeout.TotalSeconds:0.#} s."), null, RetryReasons.Network);
            }
            var error = ex.InnerException is HttpRequestException http ? http.HttpRequestError.ToString() : ex.InnerException?.GetType().Name;
            return (new SmsSendFailed(SmsFailureKind.Transient, $"Could not reach Twilio ({error})."), null, RetryReasons.Network);
        }
        catch (TwilioException ex)
        {
            // The status as it came over the wire: the SDK reports 0 when the body is not Twilio's JSON.
            var status = exchange.HttpStatus ?? (ex as ApiException)?.Status ?? 0;
            if (status is >= 200 and < 300)
            {
                // A 2xx whose body the SDK could not read: accepted all the same, retrying would send a second message.
                LogUnreadableSuccess(_logger, status);
                return (new SmsSent("(unknown)", "(unknown)"), null, "");
            }

            int? code = ex switch
            {
                ApiException { Code: not 0 } api => api.Code,
                ApiStandardException { Code: not 0 } standard => standard.Code,
                _ => null,
            };
            if (status == 0)
            {
                // No status from the wire nor from the SDK: nothing says that Twilio refused the message for good.
                return (new SmsSendFailed(SmsFailureKind.Transient, "Twilio's answer could not be read."), null, RetryReasons.ServerError);
            }
            if (status is (int)HttpStatusCode.TooManyRequests or (int)HttpStatusCode.RequestTimeout or >= 500)
            {
                var reason = status == (int)HttpStatusCode.TooManyRequests ? RetryReasons.Throttled : RetryReasons.ServerError;
                return (new SmsSendFailed(SmsFailureKind.Transient, Describe(status, code), status, code), RetryAfter(exchange), reason);
            }
            return (new SmsSendFailed(SmsFailureKind.Permanent, Describe(status, code), status, code), null, "");
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        // 1×, 2×, 4× … the base delay, ±20 % so that replicas throttled together do not come back together.
        var nominal = _options.RetryBaseDelay * Math.Pow(2, attempt - 1);
        return nominal * (0.8 + 0.4 * Random.Shared.NextDouble());
    }

    private TimeSpan? RetryAfter(TwilioAttempt exchange)
    {
        if (exchange.RetryAfter is not { } retryAfter)
        {
            return null;
        }
        // Delta seconds or an HTTP date; a date in the past means "now".
        var delay = retryAfter.Delta ?? retryAfter.Date - _timeProvider.GetUtcNow();
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
