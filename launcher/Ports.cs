using System.Net;
using System.Net.Sockets;

namespace AuthPlatform.Launcher;

public static class Ports
{
    /// <summary>A loopback port nobody listens on right now.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<bool> AcceptsAsync(int port, CancellationToken cancellationToken = default)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Polls <paramref name="ready"/> until it holds; fails fast (with the log's tail) if the process died.</summary>
    public static async Task WaitUntilAsync(string what, Func<Task<bool>> ready, TimeSpan timeout, ChildProcess? process = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (process is { HasExited: true })
            {
                throw new InvalidOperationException($"{what} exited during start-up. Last lines of {process.LogPath}:\n{process.LogTail()}");
            }
            if (await ready())
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                var tail = process is null ? "" : $" Last lines of {process.LogPath}:\n{process.LogTail()}";
                throw new TimeoutException($"{what} was not ready within {timeout.TotalSeconds:0} s.{tail}");
            }
            await Task.Delay(200);
        }
    }
}
