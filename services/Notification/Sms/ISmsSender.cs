namespace AuthPlatform.Notification.Sms;

/// <summary>
/// Hands one text message to the SMS provider: <see cref="TwilioSmsSender"/> through the <c>Twilio</c> SDK, or
/// <see cref="DevelopmentSmsSender"/>, which only logs. The seam lets delivery be tested without a provider.
/// </summary>
/// <remarks>
/// A sender never throws for a provider's answer: it returns <see cref="SmsSent"/> or an <see cref="SmsSendFailed"/>
/// that says whether trying again later can help. Only the caller's cancellation surfaces as an exception.
/// </remarks>
public interface ISmsSender
{
    /// <param name="to">The recipient in E.164 (<c>+447700900123</c>).</param>
    /// <param name="body">The finished text; it holds a one-time code and is never logged by a real sender.</param>
    Task<SmsSendResult> SendAsync(string to, string body, CancellationToken cancellationToken);
}

/// <summary>What became of one <see cref="ISmsSender.SendAsync"/> call.</summary>
/// <remarks><see cref="Attempts"/>: HTTP requests made for this call (the sender retries some failures itself).</remarks>
public abstract record SmsSendResult
{
    public int Attempts { get; init; } = 1;
}

/// <summary>The provider accepted the message; delivery to the handset continues on its side.</summary>
/// <param name="ProviderMessageId">Twilio's message SID (<c>SM…</c>), for support and log correlation.</param>
/// <param name="Status">The status the provider reported on creation (<c>queued</c>, <c>accepted</c>, …).</param>
public sealed record SmsSent(string ProviderMessageId, string Status) : SmsSendResult;

/// <summary>The message was not accepted.</summary>
/// <param name="Kind">Whether a later attempt can succeed.</param>
/// <param name="Reason">
/// Our own words for logs and the error queue: never the provider's message text, which quotes the number.
/// </param>
/// <param name="HttpStatus">The provider's HTTP status, when it answered.</param>
/// <param name="ProviderErrorCode">The provider's error code (Twilio: <c>21211</c> and the like), when it gave one.</param>
public sealed record SmsSendFailed(SmsFailureKind Kind, string Reason, int? HttpStatus = null, int? ProviderErrorCode = null) : SmsSendResult
{
    public bool IsPermanent => Kind == SmsFailureKind.Permanent;
}

public enum SmsFailureKind
{
    /// <summary>Throttled, a provider fault or a network failure: the bus retries the message later.</summary>
    Transient,

    /// <summary>Refused for good (invalid or unsubscribed number, region not enabled, bad credentials): no retries.</summary>
    Permanent,
}
