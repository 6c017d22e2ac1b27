using MailKit.Net.Smtp;
using MimeKit;

namespace AuthPlatform.Notification.Email;

/// <summary>Sends through the configured SMTP server with MailKit, over a connection from <see cref="SmtpConnections"/>.</summary>
public sealed class SmtpEmailSender(SmtpConnections connections) : IEmailSender
{
    /// <summary>
    /// Backstop for the whole exchange, so a server that answers slowly but steadily cannot hold the message forever;
    /// also the longest any one delivery attempt (email or text) may take.
    /// </summary>
    public static readonly TimeSpan ExchangeTimeout = TimeSpan.FromSeconds(60);

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ExchangeTimeout);

        var client = await connections.OpenAsync(timeout.Token);
        var accepted = false;
        try
        {
            await client.SendAsync(message, timeout.Token);
            accepted = true;
        }
        catch (SmtpCommandException ex) when ((int)ex.StatusCode >= 500
            && ex.ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted)
        {
            // A 5xx reply to RCPT TO or DATA is final (RFC 5321 §4.2.1). The server's text usually quotes the
            // address, so it is not passed on: this message reaches the logs and the error queue.
            throw new EmailRejectedException(
                $"The SMTP server rejected the {(ex.ErrorCode == SmtpErrorCode.RecipientNotAccepted ? "recipient" : "message")} with {(int)ex.StatusCode}.");
        }
        catch (SmtpCommandException ex)
        {
            // Transient (4xx) or a sender problem an operator can fix: retry, again without the server's text.
            throw new EmailSendFailedException($"The SMTP server answered {(int)ex.StatusCode} ({ex.ErrorCode}).");
        }
        finally
        {
            if (!accepted)
            {
                // Whatever state a failed exchange left the connection in, it carries no other email.
                client.Dispose();
            }
        }
        // The server has accepted the message: nothing after this may fail the send, or the bus would send it twice.
        await connections.ReturnAsync(client);
    }
}
