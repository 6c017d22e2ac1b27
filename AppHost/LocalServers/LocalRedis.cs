using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AuthPlatform.AppHost.LocalServers;

/// <summary>redis-server on loopback as an executable resource, data under its own folder.</summary>
public static class LocalRedis
{
    public static string ConnectionString(int port) => $"127.0.0.1:{port}";

    public static IResourceBuilder<ExecutableResource> AddLocalRedis(this IDistributedApplicationBuilder builder, string name,
        string dataDirectory, int port, bool durable)
    {
        var binary = Binary();
        Directory.CreateDirectory(dataDirectory);
        var healthCheck = name + "-ping";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, async cancellationToken =>
            await PingAsync(port, cancellationToken) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy());
        return builder.AddExecutable(name, binary, dataDirectory, Arguments(dataDirectory, port, durable))
            .WithHealthCheck(healthCheck)
            .WithIconName("Memory");
    }

    /// <summary>The binary, installed: redis-server from the distribution.</summary>
    public static string Binary() => ServerBinary.Require("Redis", "apt-get install redis-server", "/usr/bin/redis-server");

    /// <summary>Loopback only, in the foreground, logging to standard output; durable: append-only file and snapshots.</summary>
    public static string[] Arguments(string dataDirectory, int port, bool durable) =>
    [
        "--bind", "127.0.0.1", "--port", port.ToString(), "--dir", dataDirectory, "--daemonize", "no",
        "--protected-mode", "yes", "--appendonly", durable ? "yes" : "no", "--save", durable ? "60 1" : "", "--logfile", "",
    ];

    /// <summary>Ready: it answers PING with PONG within a second.</summary>
    public static async Task<bool> PingAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(1));
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
}
