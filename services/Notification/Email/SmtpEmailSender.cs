using AuthPlatform.Notification.Infrastructure;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace AuthPlatform.Notification.Email;

/// <summary>Sends through the configured SMTP server with MailKit: one connection per email.</summary>
/// <remarks>
/// A connection per email keeps the worker free of connection state that could go stale while the queue is
/// idle; the volume of account emails is far too low for the handshake to matter.
/// </remarks>
public sealed class SmtpEmailSender(SmtpServer server) : IEmailSender
{
    // Per network operation (connect, each command); a hung server then fails the attempt and the bus retries.
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(15);

    // Backstop for the whole exchange, so a server that answers slowly but steadily cannot hold the message forever.
    private static readonly TimeSpan ExchangeTimeout = TimeSpan.FromSeconds(60);

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ExchangeTimeout);

        using var client = new SmtpClient { Timeout = (int)OperationTimeout.TotalMilliseconds };
        var security = server.ImplicitTls ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable;
        await client.ConnectAsync(server.Host, server.Port, security, timeout.Token);
        if (server.UserName is not null)
        {
            await client.AuthenticateAsync(server.UserName, server.Password ?? "", timeout.Token);
        }
        try
        {
            await client.SendAsync(message, timeout.Token);
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

        try
        {
            await client.DisconnectAsync(quit: true, timeout.Token);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or MailKit.ProtocolException or OperationCanceledException)
        {
            // The server has accepted the message. Failing now would make the bus send it a second time.
        }
    }
}
