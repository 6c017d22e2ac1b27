using System.Net.Sockets;
using System.Text;
using AuthPlatform.AppHost.LocalServers;

namespace AuthPlatform.Testing;

/// <summary>A private redis-server on loopback, data under its own folder, for tests that need only Redis.</summary>
public sealed class StandaloneRedis(string dataDirectory, string logDirectory, int port, bool persistent) : IAsyncDisposable
{
    private ChildProcess? _process;

    public int Port => port;

    public string ConnectionString => $"127.0.0.1:{port}";

    public async Task StartAsync()
    {
        var binary = ServerBinary.Require("Redis", "apt-get install redis-server", "/usr/bin/redis-server");
        Directory.CreateDirectory(dataDirectory);
        string[] arguments =
        [
            "--bind", "127.0.0.1", "--port", port.ToString(), "--dir", dataDirectory, "--daemonize", "no",
            "--protected-mode", "yes", "--appendonly", persistent ? "yes" : "no", "--save", persistent ? "60 1" : "",
            "--logfile", "",
        ];
        _process = ChildProcess.Start("redis", binary, arguments, new Dictionary<string, string?>(), Path.Combine(logDirectory, "redis.log"));
        await _process.WaitUntilAsync("Redis", PingAsync, TimeSpan.FromSeconds(30));
    }

    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync("127.0.0.1", port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
