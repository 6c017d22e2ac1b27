using System.Net;
using System.Net.Sockets;

namespace AuthPlatform.Faults.Tests;

/// <summary>
/// An SMTP server that can turn slow: a loopback relay in front of the platform's SMTP sink (MailDev). While
/// <see cref="Delay"/> is set, each connection waits that long before the sink's greeting reaches the worker; the
/// worker opens one connection per message, so each message takes at least that long.
/// </summary>
public sealed class SlowSmtpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private Task _accepting = Task.CompletedTask;

    public SlowSmtpRelay() => _listener.Start();

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The sink's SMTP port; known once the platform has started.</summary>
    public int UpstreamPort { get; set; }

    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    public void Start() => _accepting = AcceptAsync(_stop.Token);

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = RelayAsync(client, cancellationToken);
        }
    }

    private async Task RelayAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using (client)
        {
            try
            {
                await Task.Delay(Delay, cancellationToken);
                using var upstream = new TcpClient();
                await upstream.ConnectAsync(IPAddress.Loopback, UpstreamPort, cancellationToken);
                var down = client.GetStream();
                var up = upstream.GetStream();
                // Either side closing ends the exchange.
                await Task.WhenAny(down.CopyToAsync(up, cancellationToken), up.CopyToAsync(down, cancellationToken));
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The fixture disposes after a failed start, and xunit may dispose it again.
        if (_stop.IsCancellationRequested)
        {
            return;
        }
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
    }
}
