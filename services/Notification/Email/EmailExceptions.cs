namespace AuthPlatform.Notification.Email;

/// <summary>
/// An email that can never be sent, however often we try. The bus does not retry these: the message goes
/// straight to the <c>_error</c> queue. Messages never carry addresses, links or tokens, because they end up
/// in logs and in the error queue's headers.
/// </summary>
public abstract class UndeliverableEmailException(string message) : Exception(message);

/// <summary>A <see cref="AuthPlatform.Contracts.SendEmail"/> named a template that this worker does not know.</summary>
public sealed class UnknownEmailTemplateException(string template)
    : UndeliverableEmailException($"Unknown email template '{Shorten(template)}'.")
{
    public string Template { get; } = template;

    // Template names are short constants; anything longer is garbage that should not flood the logs.
    private static string Shorten(string value) => value.Length <= 64 ? value : value[..64] + "…";
}

/// <summary>A value the email needs (recipient, link) is missing or malformed. The value itself is not repeated.</summary>
public sealed class InvalidEmailValueException(string message) : UndeliverableEmailException(message);

/// <summary>The SMTP server rejected the recipient or the message with a permanent (5xx) reply.</summary>
public sealed class EmailRejectedException(string message) : UndeliverableEmailException(message);

/// <summary>
/// The SMTP server does not offer STARTTLS although TLS is required. Permanent until an operator fixes the server
/// or the connection string (smtps://), so the bus does not retry it.
/// </summary>
public sealed class SmtpTlsUnavailableException(string message) : UndeliverableEmailException(message);

/// <summary>The SMTP server refused for now (4xx) or for a reason an operator can fix; the bus retries.</summary>
public sealed class EmailSendFailedException(string message) : Exception(message);
