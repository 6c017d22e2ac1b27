using System.Diagnostics;
using AuthPlatform.Notification.Diagnostics;
using AuthPlatform.Notification.Sms;
using MassTransit;

namespace AuthPlatform.Notification.Delivery;

/// <summary>
/// Sends the text message a bus message asks for, at most once per message id however often the message is
/// delivered (ledger key <c>notification:sms:{messageId}</c>). Same rules as <see cref="EmailDelivery"/>.
/// </summary>
/// <remarks>
/// <para>The ledger is checked before sending and written only after Twilio accepted the message; when the ledger
/// cannot be read the attempt fails and the bus retries later, since sending blind could repeat a text.</para>
/// <para>A permanent refusal (invalid number, unsubscribed, region not enabled) throws an
/// <see cref="UndeliverableSmsException"/>, which the bus does not retry: the message goes to <c>_error</c>. A
/// transient one (throttled, Twilio or the network down, after the sender's own retries) throws an
/// <see cref="SmsSendFailedException"/> and the bus retries with backoff.</para>
/// <para>Scoped, like the consumers: the Twilio sender is a typed HttpClient, fresh from IHttpClientFactory per message.</para>
/// </remarks>
public sealed partial class SmsDelivery(
    ISmsSender sender,
    IDeliveryLedger ledger,
    NotificationMetrics metrics,
    TimeProvider time,
    ILogger<SmsDelivery> logger)
{
    /// <param name="context">The bus message being handled; its MessageId is the idempotency key.</param>
    /// <param name="sms">What kind of text this is, for logs (a purpose, never content).</param>
    /// <param name="to">The recipient, E.164; logged masked only.</param>
    /// <param name="compose">Renders the text; called only when it still has to be sent.</param>
    /// <param name="expiresAt">When what the text carries (a code) stops working; it is not sent after that.</param>
    public async Task DeliverAsync(ConsumeContext context, string sms, string to, Func<string> compose, DateTimeOffset? expiresAt = null)
    {
        var cancellationToken = context.CancellationToken;
        var messageId = context.MessageId;
        if (messageId is null)
        {
            LogNoMessageId(logger, sms);
        }
        else if (await ledger.WasDeliveredAsync(DeliveryTags.Sms, messageId.Value, cancellationToken))
        {
            metrics.Delivered(DeliveryTags.Sms, DeliveryTags.Duplicate);
            LogDuplicate(logger, sms, messageId);
            return;
        }

        if (expiresAt is { } expiry && expiry <= time.GetUtcNow())
        {
            // A dead code only confuses (and costs money); the person asks for a new one.
            metrics.Delivered(DeliveryTags.Sms, DeliveryTags.Expired);
            LogExpired(logger, sms, messageId);
            return;
        }

        string body;
        try
        {
            body = compose();
        }
        catch (UndeliverableSmsException ex)
        {
            GaveUp(context, sms, ex);
            throw;
        }

        if (context.GetRetryAttempt() > 0)
        {
            metrics.Retried(DeliveryTags.Sms, "redelivery");
        }
        if (messageId is not null && !await ledger.TryClaimAsync(DeliveryTags.Sms, messageId.Value, cancellationToken))
        {
            // Both copies of a message published twice were taken at once: only one sends.
            throw new DeliveryInProgressException(DeliveryTags.Sms, messageId.Value);
        }
        var recipient = PhoneNumberMask.Mask(to);
        var started = Stopwatch.GetTimestamp();
        SmsSendResult result;
        try
        {
            result = await sender.SendAsync(to, body, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            await ReleaseClaimAsync(messageId);
            // Senders report the provider's answers as results; this is a fault of ours or of the machine.
            metrics.SendTook(DeliveryTags.Sms, DeliveryTags.Failed, Stopwatch.GetElapsedTime(started));
            Failed(context, sms, recipient, ex);
            throw;
        }

        if (result is SmsSendFailed failure)
        {
            await ReleaseClaimAsync(messageId);
            metrics.SendTook(DeliveryTags.Sms, DeliveryTags.Failed, Stopwatch.GetElapsedTime(started));
            Exception ex = failure.IsPermanent ? new SmsRejectedException(failure.Reason) : new SmsSendFailedException(failure.Reason);
            Failed(context, sms, recipient, ex);
            throw ex;
        }

        var sent = (SmsSent)result;
        metrics.SendTook(DeliveryTags.Sms, DeliveryTags.Sent, Stopwatch.GetElapsedTime(started));
        metrics.Delivered(DeliveryTags.Sms, DeliveryTags.Sent);
        LogSent(logger, sms, recipient, messageId, sent.ProviderMessageId, sent.Status, sent.Attempts);

        if (messageId is not null)
        {
            try
            {
                // Not the consumer's token: a shutdown right now must not skip the record of a sent text.
                await ledger.MarkDeliveredAsync(DeliveryTags.Sms, messageId.Value, CancellationToken.None);
            }
            catch (Exception ex)
            {
                // The text has gone; failing the message now would make the bus send it again, for certain.
                LogNotRecorded(logger, sms, messageId, ex.GetType().Name);
            }
        }
    }

    // Nothing went out, so a retry may send at once.
    private Task ReleaseClaimAsync(Guid? messageId) =>
        messageId is { } id ? ledger.ReleaseClaimAsync(DeliveryTags.Sms, id, CancellationToken.None) : Task.CompletedTask;

    private void Failed(ConsumeContext context, string sms, string recipient, Exception ex)
    {
        if (ex is UndeliverableSmsException)
        {
            GaveUp(context, sms, ex);
        }
        else
        {
            // Retried, then postponed, by the bus (DeliveryPostponement decides when to give up).
            LogWillRetry(logger, sms, recipient, context.MessageId, context.GetRetryAttempt(), ex.GetType().Name, ex.Message);
        }
    }

    private void GaveUp(ConsumeContext context, string sms, Exception ex)
    {
        metrics.Delivered(DeliveryTags.Sms, DeliveryTags.Failed);
        // Only the exception's type and message: ours never hold numbers, codes or Twilio's text.
        LogGaveUp(logger, sms, context.MessageId, context.GetRetryAttempt(), ex.GetType().Name, ex.Message);
    }

    [LoggerMessage(1, LogLevel.Information,
        "Sent the {Sms} SMS to {Recipient} (message {MessageId}): provider id {ProviderMessageId}, status {ProviderStatus}, {Attempts} request(s)")]
    private static partial void LogSent(ILogger logger, string sms, string recipient, Guid? messageId, string providerMessageId,
        string providerStatus, int attempts);

    [LoggerMessage(2, LogLevel.Information, "Skipped the {Sms} SMS: message {MessageId} was already delivered")]
    private static partial void LogDuplicate(ILogger logger, string sms, Guid? messageId);

    [LoggerMessage(3, LogLevel.Warning,
        "Sending the {Sms} SMS to {Recipient} (message {MessageId}) failed (retry {RetryAttempt}); it will be tried again: {ExceptionType}: {Reason}")]
    private static partial void LogWillRetry(ILogger logger, string sms, string recipient, Guid? messageId, int retryAttempt,
        string exceptionType, string reason);

    [LoggerMessage(4, LogLevel.Error,
        "Gave up on the {Sms} SMS (message {MessageId}) after retry {RetryAttempt}: it can never be sent and goes to the error queue: {ExceptionType}: {Reason}")]
    private static partial void LogGaveUp(ILogger logger, string sms, Guid? messageId, int retryAttempt, string exceptionType, string reason);

    [LoggerMessage(5, LogLevel.Warning,
        "Sent the {Sms} SMS but could not record message {MessageId} as delivered ({ExceptionType}); a redelivery would send it again")]
    private static partial void LogNotRecorded(ILogger logger, string sms, Guid? messageId, string exceptionType);

    [LoggerMessage(7, LogLevel.Warning, "Dropped the {Sms} SMS (message {MessageId}): its code had expired before it could be sent")]
    private static partial void LogExpired(ILogger logger, string sms, Guid? messageId);

    [LoggerMessage(6, LogLevel.Warning, "A {Sms} SMS message has no MessageId; it is sent without the redelivery check")]
    private static partial void LogNoMessageId(ILogger logger, string sms);
}
