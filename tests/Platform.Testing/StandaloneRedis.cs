using AuthPlatform.AppHost.LocalServers;

namespace AuthPlatform.Testing;

/// <summary>A private redis-server on loopback, data under its own folder, for tests that need only Redis.</summary>
public sealed class StandaloneRedis(string dataDirectory, string logDirectory, int port, bool persistent) : IAsyncDisposable
{
    private ChildProcess? _process;

    public int Port => port;

    public string ConnectionString => LocalRedis.ConnectionString(port);

    public async Task StartAsync()
    {
        Directory.CreateDirectory(dataDirectory);
        _process = ChildProcess.Start("redis", LocalRedis.Binary(), LocalRedis.Arguments(dataDirectory, port, persistent), new Dictionary<string, string?>(),
            Path.Combine(logDirectory, "redis.log"));
        await _process.WaitUntilAsync("Redis", () => LocalRedis.PingAsync(port, CancellationToken.None), TimeSpan.FromSeconds(30));
    }

    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
