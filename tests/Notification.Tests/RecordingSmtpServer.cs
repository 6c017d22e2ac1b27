using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AuthPlatform.Notification.Tests;

/// <summary>
/// A minimal SMTP server on loopback that records every line each connection sends. It offers AUTH but not
/// STARTTLS, as a downgrading man in the middle would present one; it refuses any recipient at
/// <see cref="RefusedDomain"/> with 550, and can drop every open connection, as a server does with idle ones.
/// </summary>
public sealed class RecordingSmtpServer : IAsyncDisposable
{
    public const string RefusedDomain = "refused.example";

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentDictionary<int, TcpClient> _open = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _hungUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Task> _conversations = [];
    private Task _accepting = Task.CompletedTask;
    private int _connections;
    private int _quits;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Every line every connection sent, in the order they arrived.</summary>
    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Connections the client ended with QUIT.</summary>
    public int Quits => Volatile.Read(ref _quits);

    /// <summary>Messages accepted (the 250 after DATA's final dot).</summary>
    public int Accepted => Lines.Count(l => l == ".");

    public static RecordingSmtpServer Start()
    {
        var server = new RecordingSmtpServer();
        server._listener.Start();
        server._accepting = server.AcceptAsync();
        return server;
    }

    /// <summary>Completes when the first connection has ended.</summary>
    public Task WaitForHangUpAsync() => _hungUp.Task.WaitAsync(TimeSpan.FromSeconds(10));

    /// <summary>Waits until <paramref name="count"/> connections have ended with QUIT.</summary>
    public async Task WaitForQuitsAsync(int count)
    {
        var giveUp = DateTime.UtcNow.AddSeconds(10);
        while (Quits < count && DateTime.UtcNow < giveUp)
        {
            await Task.Delay(10);
        }
        Quits.ShouldBe(count, "connections ended with QUIT");
    }

    /// <summary>Closes every open connection from the server's side, as one does after its idle timeout.</summary>
    public void DropOpenConnections()
    {
        foreach (var (id, client) in _open)
        {
            try
            {
                client.Client.Shutdown(SocketShutdown.Both);
                client.Close();
            }
            catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
            {
                // That conversation was ending on its own.
            }
            _open.TryRemove(id, out _);
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var id = Interlocked.Increment(ref _connections);
                _open[id] = client;
                lock (_conversations)
                {
                    _conversations.Add(ConverseAsync(id, client));
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task ConverseAsync(int id, TcpClient client)
    {
        try
        {
            using (client)
            {
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII);
                await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
                await writer.WriteLineAsync("220 fake.test ESMTP");
                var inData = false;
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    _lines.Enqueue(line);
                    if (inData)
                    {
                        if (line == ".")
                        {
                            inData = false;
                            await writer.WriteLineAsync("250 2.0.0 queued");
                        }
                        continue;
                    }
                    var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                    var reply = verb switch
                    {
                        "EHLO" => "250-fake.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME",
                        "RCPT" when line.Contains("@" + RefusedDomain, StringComparison.OrdinalIgnoreCase) => "550 5.1.1 no such user",
                        "HELO" or "MAIL" or "RCPT" or "RSET" or "NOOP" => "250 OK",
                        "AUTH" => "235 2.7.0 accepted",
                        "DATA" => "354 go ahead",
                        "QUIT" => "221 bye",
                        _ => "502 not implemented",
                    };
                    inData = verb == "DATA";
                    await writer.WriteLineAsync(reply);
                    if (verb == "QUIT")
                    {
                        Interlocked.Increment(ref _quits);
                        return;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or IOException or SocketException)
        {
            // Dropped by DropOpenConnections, by the client, or by DisposeAsync.
        }
        finally
        {
            _open.TryRemove(id, out _);
            _hungUp.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] conversations;
        lock (_conversations)
        {
            conversations = [.. _conversations];
        }
        DropOpenConnections();
        await Task.WhenAll(conversations);
        _stop.Dispose();
    }
}
