using System.Diagnostics;
using AuthPlatform.Notification.Diagnostics;
using AuthPlatform.Notification.Email;
using MassTransit;
using MimeKit;

namespace AuthPlatform.Notification.Delivery;

/// <summary>
/// Sends the email a bus message asks for, at most once per message id however often the message is delivered.
/// </summary>
/// <remarks>
/// The ledger is checked before sending and written only after the server accepted the message, so a failed
/// attempt leaves nothing behind and the retry sends. When the ledger cannot be read the attempt fails and the
/// bus retries later: sending blind could repeat an email that already went out.
/// Two copies of one message taken at once (it was published twice) are told apart by a claim: one sends, the other
/// is retried and then finds it delivered. The one gap left is a crash between the server's acceptance and the
/// ledger write; the message is then redelivered and sent a second time, which beats losing it.
/// </remarks>
public sealed partial class EmailDelivery(
    IEmailSender sender,
    IDeliveryLedger ledger,
    NotificationMetrics metrics,
    ILogger<EmailDelivery> logger)
{
    /// <param name="context">The bus message being handled; its MessageId is the idempotency key.</param>
    /// <param name="email">What kind of email this is, for logs (a template or event name, never content).</param>
    /// <param name="compose">Renders the email; called only when it still has to be sent.</param>
    public async Task DeliverAsync(ConsumeContext context, string email, Func<MimeMessage> compose)
    {
        var cancellationToken = context.CancellationToken;
        var messageId = context.MessageId;
        if (messageId is null)
        {
            // Our publishers always set one (the outbox uses its row's id); without it redeliveries cannot be told apart.
            LogNoMessageId(logger, email);
        }
        else if (await ledger.WasDeliveredAsync(DeliveryTags.Email, messageId.Value, cancellationToken))
        {
            metrics.Delivered(DeliveryTags.Email, DeliveryTags.Duplicate);
            LogDuplicate(logger, email, messageId);
            return;
        }

        MimeMessage message;
        try
        {
            message = compose();
        }
        catch (UndeliverableEmailException ex)
        {
            GaveUp(context, email, ex);
            throw;
        }

        if (messageId is not null && !await ledger.TryClaimAsync(DeliveryTags.Email, messageId.Value, cancellationToken))
        {
            // Both copies of a message published twice were taken at once: only one sends.
            throw new DeliveryInProgressException(DeliveryTags.Email, messageId.Value);
        }
        var recipient = EmailAddressMask.Mask(message.To.Mailboxes.FirstOrDefault()?.Address);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await sender.SendAsync(message, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            await ReleaseClaimAsync(messageId);
            metrics.SendTook(DeliveryTags.Email, DeliveryTags.Failed, Stopwatch.GetElapsedTime(started));
            if (ex is UndeliverableEmailException)
            {
                GaveUp(context, email, ex);
            }
            else
            {
                // Retried, then postponed, by the bus (DeliveryPostponement decides when to give up).
                LogWillRetry(logger, email, recipient, messageId, context.GetRetryAttempt(), ex.GetType().Name, ex.Message);
            }
            throw;
        }
        metrics.SendTook(DeliveryTags.Email, DeliveryTags.Sent, Stopwatch.GetElapsedTime(started));
        metrics.Delivered(DeliveryTags.Email, DeliveryTags.Sent);
        LogSent(logger, email, recipient, messageId);

        if (messageId is not null)
        {
            try
            {
                // Not the consumer's token: a shutdown right now must not skip the record of a sent email.
                await ledger.MarkDeliveredAsync(DeliveryTags.Email, messageId.Value, CancellationToken.None);
            }
            catch (Exception ex)
            {
                // The email has gone. Failing the message now would make the bus send it again, for certain;
                // acknowledging it risks a duplicate only if the message is redelivered anyway.
                LogNotRecorded(logger, email, messageId, ex.GetType().Name);
            }
        }
    }

    // Nothing went out, so a retry may send at once.
    private Task ReleaseClaimAsync(Guid? messageId) =>
        messageId is { } id ? ledger.ReleaseClaimAsync(DeliveryTags.Email, id, CancellationToken.None) : Task.CompletedTask;

    private void GaveUp(ConsumeContext context, string email, Exception ex)
    {
        metrics.Delivered(DeliveryTags.Email, DeliveryTags.Failed);
        // Only the exception's type and message: ours never hold addresses or links, and SMTP replies
        // (which quote addresses) are not passed into them.
        LogGaveUp(logger, email, context.MessageId, context.GetRetryAttempt(), ex.GetType().Name, ex.Message);
    }

    [LoggerMessage(1, LogLevel.Information, "Sent the {Email} email to {Recipient} (message {MessageId})")]
    private static partial void LogSent(ILogger logger, string email, string recipient, Guid? messageId);

    [LoggerMessage(2, LogLevel.Information, "Skipped the {Email} email: message {MessageId} was already delivered")]
    private static partial void LogDuplicate(ILogger logger, string email, Guid? messageId);

    [LoggerMessage(3, LogLevel.Warning,
        "Sending the {Email} email to {Recipient} (message {MessageId}) failed (retry {RetryAttempt}); it will be tried again: {ExceptionType}: {Reason}")]
    private static partial void LogWillRetry(ILogger logger, string email, string recipient, Guid? messageId, int retryAttempt,
        string exceptionType, string reason);

    [LoggerMessage(4, LogLevel.Error,
        "Gave up on the {Email} email (message {MessageId}) after retry {RetryAttempt}: it can never be sent and goes to the error queue: {ExceptionType}: {Reason}")]
    private static partial void LogGaveUp(ILogger logger, string email, Guid? messageId, int retryAttempt, string exceptionType, string reason);

    [LoggerMessage(5, LogLevel.Warning,
        "Sent the {Email} email but could not record message {MessageId} as delivered ({ExceptionType}); a redelivery would send it again")]
    private static partial void LogNotRecorded(ILogger logger, string email, Guid? messageId, string exceptionType);

    [LoggerMessage(6, LogLevel.Warning, "A {Email} message has no MessageId; it is sent without the redelivery check")]
    private static partial void LogNoMessageId(ILogger logger, string email);
}
