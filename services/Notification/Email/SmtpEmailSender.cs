using AuthPlatform.Notification.Diagnostics;
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
public sealed class SmtpEmailSender(SmtpServer server, NotificationMetrics metrics) : IEmailSender
{
    // Per network operation (connect, each command); a hung server then fails the attempt and the bus retries.
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Backstop for the whole exchange, so a server that answers slowly but steadily cannot hold the message forever;
    /// also the longest any one delivery attempt (email or text) may take.
    /// </summary>
    public static readonly TimeSpan ExchangeTimeout = TimeSpan.FromSeconds(60);

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ExchangeTimeout);

        using var client = new SmtpClient { Timeout = (int)OperationTimeout.TotalMilliseconds };
        // StartTls, not StartTlsWhenAvailable: a man in the middle who strips STARTTLS from the EHLO reply must
        // get no AUTH and no mail. Only a loopback server without credentials may stay in plaintext.
        var security = server.ImplicitTls ? SecureSocketOptions.SslOnConnect
            : server.RequiresTls ? SecureSocketOptions.StartTls
            : SecureSocketOptions.StartTlsWhenAvailable;
        try
        {
            await client.ConnectAsync(server.Host, server.Port, security, timeout.Token);
        }
        catch (NotSupportedException) when (security == SecureSocketOptions.StartTls)
        {
            // MailKit throws this before sending anything else when the EHLO reply lacks STARTTLS.
            metrics.SmtpTlsUnavailable();
            throw new SmtpTlsUnavailableException(
                $"The SMTP server {server.Host}:{server.Port} does not offer STARTTLS; TLS is required "
                + "(credentials are configured or the server is not on this machine), so nothing was sent and no AUTH was tried.");
        }
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
