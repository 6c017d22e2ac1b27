using MimeKit;

namespace AuthPlatform.Notification.Email;

/// <summary>Hands one finished message to the mail system.</summary>
public interface IEmailSender
{
    /// <exception cref="UndeliverableEmailException">The server refused the message for good; retrying cannot help.</exception>
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}
