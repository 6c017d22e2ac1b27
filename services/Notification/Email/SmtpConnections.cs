using System.Net.Sockets;
using AuthPlatform.Notification.Diagnostics;
using AuthPlatform.Notification.Infrastructure;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;

namespace AuthPlatform.Notification.Email;

/// <summary>
/// Open SMTP connections, kept between emails so that a burst pays for one handshake (TCP, the greeting, STARTTLS,
/// AUTH) instead of one per email. The greeting alone can be slow on purpose: MailDev, like servers that screen
/// for early talkers, holds it back 100 ms, which was most of the time between a sign-up and its email.
/// </summary>
/// <remarks>
/// A connection is reused only while it has been idle less than <see cref="EmailOptions.SmtpConnectionIdleLimit"/>
/// and answers a NOOP, so one the server dropped while idle costs a new connection, never a failed email. Anything
/// that fails on a connection (a refusal, a timeout, a dropped line) ends it: it is never returned. Idle
/// connections past the limit are closed with QUIT by a sweep, so none is left open on the server for long.
/// </remarks>
public sealed partial class SmtpConnections : IAsyncDisposable
{
    // Per network operation (connect, each command); a hung server then fails the attempt and the bus retries.
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(15);

    // For the NOOP before a reuse and the QUIT that ends a connection: a live server answers within milliseconds.
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    private readonly SmtpServer _server;
    private readonly EmailOptions _options;
    private readonly TimeProvider _time;
    private readonly NotificationMetrics _metrics;
    private readonly ILogger<SmtpConnections> _logger;
    // Oldest first: connections come back to the end, are taken from the end and age out from the front.
    private readonly LinkedList<IdleConnection> _idle = new();
    private readonly Lock _gate = new();
    private readonly ITimer? _sweep;
    private bool _disposed;

    public SmtpConnections(SmtpServer server, IOptions<EmailOptions> options, TimeProvider time, NotificationMetrics metrics,
        ILogger<SmtpConnections> logger)
    {
        _server = server;
        _options = options.Value;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        if (_options.KeepsSmtpConnections)
        {
            // Often enough that none outstays the limit by more than half of it.
            var every = TimeSpan.FromTicks(Math.Max(_options.SmtpConnectionIdleLimit.Ticks / 2, TimeSpan.TicksPerSecond));
            _sweep = time.CreateTimer(_ => _ = CloseExpiredAsync(), null, every, every);
        }
    }

    private sealed record IdleConnection(SmtpClient Client, long IdleSince);

    /// <summary>A connection ready for MAIL FROM: an idle one that still answers, or a new one.</summary>
    /// <exception cref="SmtpTlsUnavailableException">TLS is required and the server does not offer STARTTLS.</exception>
    public async Task<SmtpClient> OpenAsync(CancellationToken cancellationToken)
    {
        while (TakeIdle() is { } idle)
        {
            if (_time.GetElapsedTime(idle.IdleSince) >= _options.SmtpConnectionIdleLimit)
            {
                // Past the limit before the sweep came by: ended politely, without holding up this email.
                _ = QuitAsync(idle.Client);
                continue;
            }
            if (idle.Client.IsConnected && await AnswersAsync(idle.Client, cancellationToken))
            {
                _metrics.SmtpConnectionUsed(SmtpConnectionTags.Reused);
                return idle.Client;
            }
            idle.Client.Dispose();
        }
        return await ConnectAsync(cancellationToken);
    }

    /// <summary>Whether an idle connection still answers a NOOP; it is disposed of when the caller was cancelled.</summary>
    private async Task<bool> AnswersAsync(SmtpClient client, CancellationToken cancellationToken)
    {
        // A short answer or none: a server gone silent must not spend the email's whole exchange timeout, once per
        // idle connection, before a new connection is tried.
        using var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        probe.CancelAfter(ProbeTimeout);
        try
        {
            await client.NoOpAsync(probe.Token);
            return true;
        }
        catch (Exception ex) when (IsConnectionFailure(ex) && !cancellationToken.IsCancellationRequested)
        {
            LogDroppedWhileIdle(_logger, ex.GetType().Name);
            return false;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Hands back a connection whose last email the server accepted, to carry the next one. Only such a connection
    /// may come back: after any failure the caller disposes of it.
    /// </summary>
    public async Task ReturnAsync(SmtpClient client)
    {
        var kept = false;
        if (client.IsConnected && _options.KeepsSmtpConnections)
        {
            lock (_gate)
            {
                if (!_disposed && _idle.Count < _options.IdleSmtpConnections)
                {
                    _idle.AddLast(new IdleConnection(client, _time.GetTimestamp()));
                    kept = true;
                }
            }
        }
        if (!kept)
        {
            await QuitAsync(client);
        }
    }

    private async Task<SmtpClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var client = new SmtpClient { Timeout = (int)OperationTimeout.TotalMilliseconds };
        try
        {
            // StartTls, not StartTlsWhenAvailable: a man in the middle who strips STARTTLS from the EHLO reply must
            // get no AUTH and no mail. Only a loopback server without credentials may stay in plaintext.
            var security = _server.ImplicitTls ? SecureSocketOptions.SslOnConnect
                : _server.RequiresTls ? SecureSocketOptions.StartTls
                : SecureSocketOptions.StartTlsWhenAvailable;
            try
            {
                await client.ConnectAsync(_server.Host, _server.Port, security, cancellationToken);
            }
            catch (NotSupportedException) when (security == SecureSocketOptions.StartTls)
            {
                // MailKit throws this before sending anything else when the EHLO reply lacks STARTTLS.
                _metrics.SmtpTlsUnavailable();
                throw new SmtpTlsUnavailableException(
                    $"The SMTP server {_server.Host}:{_server.Port} does not offer STARTTLS; TLS is required "
                    + "(credentials are configured or the server is not on this machine), so nothing was sent and no AUTH was tried.");
            }
            if (_server.UserName is not null)
            {
                await client.AuthenticateAsync(_server.UserName, _server.Password ?? "", cancellationToken);
            }
            _metrics.SmtpConnectionUsed(SmtpConnectionTags.New);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private IdleConnection? TakeIdle()
    {
        lock (_gate)
        {
            // The most recently used first: the likeliest to be alive, and the others age out.
            if (_idle.Last is not { } last)
            {
                return null;
            }
            _idle.RemoveLast();
            return last.Value;
        }
    }

    private Task CloseExpiredAsync()
    {
        List<IdleConnection> expired = [];
        lock (_gate)
        {
            while (_idle.First is { } oldest && _time.GetElapsedTime(oldest.Value.IdleSince) >= _options.SmtpConnectionIdleLimit)
            {
                expired.Add(oldest.Value);
                _idle.RemoveFirst();
            }
        }
        return QuitAllAsync(expired);
    }

    // Side by side: closing waits for one QUIT timeout at most, not one per connection.
    private static Task QuitAllAsync(IEnumerable<IdleConnection> connections) =>
        Task.WhenAll(connections.Select(connection => QuitAsync(connection.Client)));

    private static async Task QuitAsync(SmtpClient client)
    {
        try
        {
            if (client.IsConnected)
            {
                using var timeout = new CancellationTokenSource(ProbeTimeout);
                await client.DisconnectAsync(quit: true, timeout.Token);
            }
        }
        catch (Exception)
        {
            // Best effort: the server may have gone already, and the emails this connection carried were accepted.
        }
        finally
        {
            client.Dispose();
        }
    }

    private static bool IsConnectionFailure(Exception ex) =>
        ex is IOException or SocketException or TimeoutException or ProtocolException or ServiceNotConnectedException
            or SmtpCommandException or OperationCanceledException;

    public async ValueTask DisposeAsync()
    {
        IdleConnection[] idle;
        lock (_gate)
        {
            _disposed = true;
            idle = [.. _idle];
            _idle.Clear();
        }
        if (_sweep is not null)
        {
            await _sweep.DisposeAsync();
        }
        await QuitAllAsync(idle);
    }

    [LoggerMessage(LogLevel.Information, "An idle SMTP connection no longer answered ({Error}); opening a new one")]
    private static partial void LogDroppedWhileIdle(ILogger logger, string error);
}
