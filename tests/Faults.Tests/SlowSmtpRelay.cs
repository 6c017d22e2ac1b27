using System.Net;
using System.Net.Sockets;

namespace AuthPlatform.Faults.Tests;

/// <summary>
/// An SMTP server that can turn slow: a loopback relay in front of the platform's SMTP sink (MailDev). While
/// <see cref="Delay"/> is set, the end of each message's DATA waits that long before it reaches the sink, so each
/// message takes at least that long, on a new connection or on one the worker kept open.
/// </summary>
public sealed class SlowSmtpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private Task _accepting = Task.CompletedTask;
    private int _held;

    public SlowSmtpRelay() => _listener.Start();

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The sink's SMTP port; known once the platform has started.</summary>
    public int UpstreamPort { get; set; }

    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    /// <summary>Messages held back by <see cref="Delay"/> so far.</summary>
    public int Held => Volatile.Read(ref _held);

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
                using var upstream = new TcpClient();
                await upstream.ConnectAsync(IPAddress.Loopback, UpstreamPort, cancellationToken);
                var down = client.GetStream();
                var up = upstream.GetStream();
                // Either side closing ends the exchange.
                await Task.WhenAny(ForwardMessagesAsync(down, up, cancellationToken), up.CopyToAsync(down, cancellationToken));
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
            }
        }
    }

    private static readonly byte[] EndOfData = "\r\n.\r\n"u8.ToArray();

    /// <summary>The worker's side of the exchange, each message's final dot held back for <see cref="Delay"/>.</summary>
    private async Task ForwardMessagesAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024 + EndOfData.Length];
        var carried = 0;
        int read;
        // The marker can straddle two reads: the last bytes of one are kept in front of the next.
        while ((read = await from.ReadAsync(buffer.AsMemory(carried, buffer.Length - carried), cancellationToken)) > 0)
        {
            var seen = carried + read;
            if (Delay > TimeSpan.Zero && buffer.AsSpan(0, seen).IndexOf(EndOfData) >= 0)
            {
                Interlocked.Increment(ref _held);
                await Task.Delay(Delay, cancellationToken);
            }
            await to.WriteAsync(buffer.AsMemory(carried, read), cancellationToken);
            carried = Math.Min(EndOfData.Length - 1, seen);
            buffer.AsSpan(seen - carried, carried).CopyTo(buffer);
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
